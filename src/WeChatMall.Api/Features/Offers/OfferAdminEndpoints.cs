using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using MySqlConnector;
using WeChatMall.Api.Infrastructure.Auth;
using WeChatMall.Api.Infrastructure.Http;

namespace WeChatMall.Api.Features.Offers;

public sealed record GrantRequest(IReadOnlyList<long> MemberIds);
public sealed record GrantRefusalDto(long MemberId, string Code);
public sealed record GrantReportDto(int Issued, IReadOnlyList<GrantRefusalDto> Refused);
public sealed record DrawChancesGrant(long MemberId, int Chances);
public sealed record DrawActiveRequest(bool Active);
public sealed record SignInDaySettingDto(int Day, long Points, long? CouponTemplateId, int DrawChances);

/// <summary>The daily sign-in as configured (Offers:* settings): the cycle and what each of its days gives.</summary>
public sealed record SignInSettingsDto(int CycleDays, long DailyPoints, int DrawChancesPerPaidOrder, IReadOnlyList<SignInDaySettingDto> Days);

/// <summary>The operator's side of offers: coupon templates, grants and statistics, lucky draws, the points mall.</summary>
public static class OfferAdminEndpoints
{
    public const int MaxGrantMembers = 1000;

    public static IEndpointRouteBuilder MapOfferAdmin(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/admin/offers").WithTags("Offers admin").RequireAdmin(AdminArea.Offers);
        g.MapGet("/coupon-templates", ListTemplates).WithName("AdminListCouponTemplates");
        g.MapPost("/coupon-templates", CreateTemplate).WithName("AdminCreateCouponTemplate");
        g.MapGet("/coupon-templates/{id:long}", GetTemplate).WithName("AdminGetCouponTemplate");
        g.MapPut("/coupon-templates/{id:long}", UpdateTemplate).WithName("AdminUpdateCouponTemplate");
        g.MapGet("/coupon-templates/{id:long}/stats", TemplateStats).WithName("AdminCouponTemplateStats");
        g.MapPost("/coupon-templates/{id:long}/grants", Grant).WithName("AdminGrantCoupons");
        g.MapGet("/draws", ListDraws).WithName("AdminListDraws");
        g.MapPost("/draws", CreateDraw).WithName("AdminCreateDraw");
        g.MapGet("/draws/{id:long}", GetDraw).WithName("AdminGetDraw");
        g.MapPut("/draws/{id:long}/active", SetDrawActive).WithName("AdminSetDrawActive");
        g.MapGet("/draws/{id:long}/records", DrawRecords).WithName("AdminDrawRecords");
        g.MapPost("/draw-chances", GrantChances).WithName("AdminGrantDrawChances");
        g.MapGet("/mall-items", MallItems).WithName("AdminListMallItems");
        g.MapPost("/mall-items", CreateMallItem).WithName("AdminCreateMallItem");
        g.MapPut("/mall-items/{id:long}", UpdateMallItem).WithName("AdminUpdateMallItem");
        g.MapGet("/sign-in-settings", SignInSettings).WithName("AdminSignInSettings");
        g.MapGet("/mall-exchanges", MallExchanges).WithName("AdminListMallExchanges");
        g.MapCouponSegmentGrants();
        return app;
    }

    static async Task<Ok<IReadOnlyList<CouponTemplateDto>>> ListTemplates(CouponTemplateStore templates, CancellationToken ct) =>
        TypedResults.Ok(await templates.ListAsync(claimableOnly: false, ct));

    static async Task<Results<Created<CouponTemplateDto>, ValidationProblem, ProblemHttpResult>> CreateTemplate(CouponTemplateRequest request,
        CouponTemplateStore templates, CancellationToken ct)
    {
        if (request.Validate() is { Count: > 0 } errors) return TypedResults.ValidationProblem(errors);
        if (await templates.CreateAsync(request, ct) is not { } id) return Problems.Conflict("COUPON_CODE_TAKEN", "Another coupon has this redeem code");
        return TypedResults.Created($"/admin/offers/coupon-templates/{id}", (await templates.GetAsync(id, ct))!);
    }

    static async Task<Results<Ok<CouponTemplateDto>, ProblemHttpResult>> GetTemplate(long id, CouponTemplateStore templates, CancellationToken ct) =>
        await templates.GetAsync(id, ct) is { } t ? TypedResults.Ok(t) : NotFound();

    static async Task<Results<Ok<CouponTemplateDto>, ValidationProblem, ProblemHttpResult>> UpdateTemplate(long id, CouponTemplateRequest request,
        CouponTemplateStore templates, CancellationToken ct)
    {
        if (request.Validate() is { Count: > 0 } errors) return TypedResults.ValidationProblem(errors);
        if (await templates.GetAsync(id, ct) is null) return NotFound();
        if (!await templates.UpdateAsync(id, request, ct))
            return Problems.Conflict("COUPON_TEMPLATE_CONFLICT", "Not saved", "The stock is below what was already issued, or the redeem code is taken.");
        return TypedResults.Ok((await templates.GetAsync(id, ct))!);
    }

    static async Task<Results<Ok<CouponStatsDto>, ProblemHttpResult>> TemplateStats(long id, CouponStats stats, CancellationToken ct) =>
        await stats.ForAsync(id, ct) is { } s ? TypedResults.Ok(s) : NotFound();

    /// <summary>Grants one coupon to each member (the stock, audience and per-member limit apply); answers a report.</summary>
    static async Task<Results<Ok<GrantReportDto>, ValidationProblem, ProblemHttpResult>> Grant(long id, GrantRequest request, CouponIssuer issuer,
        CouponTemplateStore templates, CancellationToken ct)
    {
        if (request.MemberIds is not { Count: > 0 and <= MaxGrantMembers })
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["memberIds"] = [$"1 to {MaxGrantMembers} member ids."] });
        if (await templates.GetAsync(id, ct) is null) return NotFound();
        var issued = 0;
        var refused = new List<GrantRefusalDto>();
        foreach (var memberId in request.MemberIds.Distinct())
            if (await issuer.IssueAsync(id, memberId, "grant", "admin", ct) is IssueResult.Refused r) refused.Add(new(memberId, r.Code));
            else issued++;
        return TypedResults.Ok(new GrantReportDto(issued, refused));
    }

    static async Task<Results<Created<DrawDto>, ValidationProblem>> CreateDraw(DrawRequest request, DrawStore draws, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (request.Prizes is not { Count: > 0 and <= 50 } || request.Prizes.Contains(null!)) errors["prizes"] = ["1 to 50 prizes."];
        else if (request.Prizes.Any(p => !DrawStore.PrizeKinds.Contains(p.Kind))) errors["prizes"] = ["A prize kind is points, coupon or none."];
        else if (request.Prizes.Any(p => p.Kind == "coupon" && p.CouponTemplateId is null)) errors["prizes"] = ["A coupon prize names its couponTemplateId."];
        else if (request.Prizes.Sum(p => (long)p.Weight) <= 0) errors["prizes"] = ["The weights add up to more than 0."];
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);
        var id = await draws.CreateAsync(request, ct);
        return TypedResults.Created($"/admin/offers/draws/{id}", (await draws.GetAsync(id, ct))!);
    }

    static async Task<Ok<IReadOnlyList<DrawDto>>> ListDraws(DrawStore draws, CancellationToken ct) => TypedResults.Ok(await draws.ListAsync(ct));

    static async Task<Results<Ok<DrawDto>, ProblemHttpResult>> SetDrawActive(long id, DrawActiveRequest request, DrawStore draws, CancellationToken ct) =>
        await draws.SetActiveAsync(id, request.Active, ct) && await draws.GetAsync(id, ct) is { } d
            ? TypedResults.Ok(d)
            : Problems.NotFound("DRAW_NOT_FOUND", "No such lucky draw");

    static async Task<Results<Ok<DrawDto>, ProblemHttpResult>> GetDraw(long id, DrawStore draws, CancellationToken ct) =>
        await draws.GetAsync(id, ct) is { } d ? TypedResults.Ok(d) : Problems.NotFound("DRAW_NOT_FOUND", "No such lucky draw");

    static async Task<Ok<IReadOnlyList<DrawRecordDto>>> DrawRecords(long id, long? memberId, int? take, DrawStore draws, CancellationToken ct) =>
        TypedResults.Ok(await draws.RecordsAsync(id, memberId, Math.Clamp(take ?? 100, 1, 1000), ct));

    static async Task<Results<NoContent, ValidationProblem>> GrantChances(DrawChancesGrant request, MySqlDataSource db, CancellationToken ct)
    {
        if (request.Chances is < 1 or > 1000 || request.MemberId <= 0)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["chances"] = ["1 to 1000 chances for a member id."] });
        await using var c = await db.OpenConnectionAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        await DrawChances.AddAsync(c, tx, request.MemberId, request.Chances, ct);
        await tx.CommitAsync(ct);
        return TypedResults.NoContent();
    }

    static async Task<Ok<IReadOnlyList<MallItemListDto>>> MallItems(PointsMall mall, CancellationToken ct) => TypedResults.Ok(await mall.ListAsync(ct));

    static async Task<Results<Created<MallItemDto>, ValidationProblem>> CreateMallItem(MallItemRequest request, PointsMall mall, CancellationToken ct)
    {
        if (request.Kind switch { "coupon" => request.CouponTemplateId is null, "product" => request.SkuId is null, _ => true })
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["kind"] = ["kind coupon names couponTemplateId; kind product names skuId."] });
        var id = await mall.CreateAsync(request, ct);
        return TypedResults.Created($"/admin/offers/mall-items/{id}", (await mall.ItemsAsync(false, ct)).Single(i => i.Id == id));
    }

    static async Task<Results<Ok<MallItemDto>, ProblemHttpResult>> UpdateMallItem(long id, MallItemUpdate request, PointsMall mall, CancellationToken ct) =>
        await mall.UpdateAsync(id, request, ct)
            ? TypedResults.Ok((await mall.ItemsAsync(false, ct)).Single(i => i.Id == id))
            : Problems.NotFound("MALL_ITEM_NOT_FOUND", "No such points-mall item");

    static Ok<SignInSettingsDto> SignInSettings(IOptions<OffersOptions> options)
    {
        var o = options.Value;
        var days = Enumerable.Range(1, o.SignInCycleDays).Select(o.RewardFor)
            .Select(r => new SignInDaySettingDto(r.Day, r.Points, r.CouponTemplateId, r.DrawChances)).ToList();
        return TypedResults.Ok(new SignInSettingsDto(o.SignInCycleDays, o.SignInDailyPoints, o.DrawChancesPerPaidOrder, days));
    }

    static async Task<Ok<IReadOnlyList<MallExchangeDto>>> MallExchanges(long? memberId, PointsMall mall, CancellationToken ct) =>
        TypedResults.Ok(await mall.ExchangesAsync(memberId, ct));

    static ProblemHttpResult NotFound() => Problems.NotFound("COUPON_TEMPLATE_NOT_FOUND", "No such coupon template");
}
