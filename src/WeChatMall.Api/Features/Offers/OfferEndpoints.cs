using Microsoft.AspNetCore.Http.HttpResults;
using MySqlConnector;
using WeChatMall.Api.Features.Members;
using WeChatMall.Api.Infrastructure.Http;

namespace WeChatMall.Api.Features.Offers;

public sealed record RedeemCodeRequest(string Code);

/// <summary>The shopper's offers: the coupon centre and wallet, daily sign-in, the points mall and lucky draws (docs/offers.md).</summary>
public static class OfferEndpoints
{
    public static IEndpointRouteBuilder MapOffers(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api").WithTags("Offers").RequireAuthorization(MemberAuth.Policy);
        g.MapGet("/coupons", CouponCentre).WithName(nameof(CouponCentre));
        g.MapPost("/coupons/{templateId:long}/claim", ClaimCoupon).WithName(nameof(ClaimCoupon));
        g.MapPost("/coupons/redeem", RedeemCoupon).WithName(nameof(RedeemCoupon));
        g.MapGet("/me/coupons", MyCoupons).WithName(nameof(MyCoupons));
        g.MapPost("/sign-in", SignIn).WithName(nameof(SignIn));
        g.MapGet("/sign-in", SignInCalendar).WithName(nameof(SignInCalendar));
        g.MapGet("/mall/items", MallItems).WithName(nameof(MallItems));
        g.MapPost("/mall/items/{itemId:long}/exchange", Exchange).WithName(nameof(Exchange));
        g.MapGet("/me/mall-exchanges", MyExchanges).WithName(nameof(MyExchanges));
        g.MapGet("/draws/{drawId:long}", GetDraw).WithName(nameof(GetDraw));
        g.MapPost("/draws/{drawId:long}/draw", Draw).WithName(nameof(Draw));
        g.MapGet("/me/draw-chances", MyDrawChances).WithName(nameof(MyDrawChances));
        return app;
    }

    static async Task<Ok<IReadOnlyList<CouponTemplateDto>>> CouponCentre(CouponTemplateStore templates, CancellationToken ct) =>
        TypedResults.Ok(await templates.ListAsync(claimableOnly: true, ct));

    static async Task<Results<Created<MemberCouponDto>, ProblemHttpResult>> ClaimCoupon(long templateId, CurrentMember me, CouponTemplateStore templates,
        CouponIssuer issuer, MemberCoupons wallet, CancellationToken ct)
    {
        if (await templates.GetAsync(templateId, ct) is not { Claimable: true })
            return Problems.NotFound("COUPON_TEMPLATE_NOT_FOUND", "No such coupon in the coupon centre");
        return await Issued(await issuer.IssueAsync(templateId, me.Id, "claim", null, ct), me, wallet, ct);
    }

    static async Task<Results<Created<MemberCouponDto>, ProblemHttpResult>> RedeemCoupon(RedeemCodeRequest request, CurrentMember me,
        CouponIssuer issuer, MemberCoupons wallet, CancellationToken ct)
    {
        if (request.Code is not { Length: >= 4 and <= 32 } || await wallet.TemplateByCodeAsync(request.Code, ct) is not { } templateId)
            return Problems.NotFound("COUPON_CODE_NOT_FOUND", "No coupon has this code");
        return await Issued(await issuer.IssueAsync(templateId, me.Id, "code", null, ct), me, wallet, ct);
    }

    static async Task<Results<Created<MemberCouponDto>, ProblemHttpResult>> Issued(IssueResult result, CurrentMember me, MemberCoupons wallet, CancellationToken ct) =>
        result switch
        {
            IssueResult.Issued i => TypedResults.Created($"/api/me/coupons/{i.MemberCouponId}", (await wallet.FindAsync(me.Id, i.MemberCouponId, ct))!),
            IssueResult.Refused r => r.Problem,
            _ => throw new InvalidOperationException(),
        };

    static async Task<Results<Ok<IReadOnlyList<MemberCouponDto>>, ValidationProblem>> MyCoupons(string? status, CurrentMember me, MemberCoupons wallet,
        CancellationToken ct)
    {
        if (status is not null && !CouponStatus.All.Contains(status))
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["status"] = [$"status is one of {string.Join(", ", CouponStatus.All)}."] });
        return TypedResults.Ok(await wallet.ListAsync(me.Id, status, ct));
    }

    static async Task<Ok<SignInDto>> SignIn(CurrentMember me, DailySignIn signIn, CancellationToken ct) =>
        TypedResults.Ok(await signIn.SignInAsync(me.Id, ct));

    static async Task<Ok<SignInDto>> SignInCalendar(CurrentMember me, DailySignIn signIn, CancellationToken ct) =>
        TypedResults.Ok(await signIn.CalendarAsync(me.Id, ct));

    static async Task<Ok<IReadOnlyList<MallItemDto>>> MallItems(PointsMall mall, CancellationToken ct) =>
        TypedResults.Ok(await mall.ItemsAsync(activeOnly: true, ct));

    static async Task<Results<Created<MallExchangeDto>, ProblemHttpResult>> Exchange(long itemId, ExchangeRequest? request, CurrentMember me,
        PointsMall mall, CancellationToken ct) =>
        await mall.ExchangeAsync(me.Id, itemId, request?.AddressId, ct) switch
        {
            ExchangeOutcome.Done d => TypedResults.Created($"/api/me/mall-exchanges/{d.Exchange.Id}", d.Exchange),
            ExchangeOutcome.Refused r => r.Problem,
            _ => throw new InvalidOperationException(),
        };

    static async Task<Ok<IReadOnlyList<MallExchangeDto>>> MyExchanges(CurrentMember me, PointsMall mall, CancellationToken ct) =>
        TypedResults.Ok(await mall.ExchangesAsync(me.Id, ct));

    static async Task<Results<Ok<DrawDto>, ProblemHttpResult>> GetDraw(long drawId, DrawStore draws, CancellationToken ct) =>
        await draws.GetAsync(drawId, ct) is { Active: true } d ? TypedResults.Ok(d) : Problems.NotFound("DRAW_NOT_FOUND", "No such lucky draw");

    static async Task<Results<Ok<DrawResultDto>, ProblemHttpResult>> Draw(long drawId, CurrentMember me, LuckyDraw draw, CancellationToken ct) =>
        await draw.DrawAsync(me.Id, drawId, ct) switch
        {
            DrawOutcome.Drawn d => TypedResults.Ok(d.Result),
            DrawOutcome.Refused r => r.Problem,
            _ => throw new InvalidOperationException(),
        };

    static async Task<Ok<DrawChancesDto>> MyDrawChances(CurrentMember me, MySqlDataSource db, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        return TypedResults.Ok(new DrawChancesDto(await DrawChances.OfAsync(c, me.Id, ct)));
    }
}

public sealed record DrawChancesDto(int Chances);
