using Microsoft.AspNetCore.Http.HttpResults;
using WeChatMall.Api.Infrastructure.Auth;
using WeChatMall.Api.Infrastructure.Http;

namespace WeChatMall.Api.Features.Loyalty;

/// <summary>The merchant's tiers: thresholds (lifetime spend or points earned) and benefits. Changes apply to later paid orders.</summary>
public static class TierAdminEndpoints
{
    public static IEndpointRouteBuilder MapTierAdmin(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/admin/tiers").WithTags("Loyalty admin").RequireAdmin(AdminArea.Loyalty);
        g.MapGet("/", List).WithName("AdminListTiers");
        g.MapPost("/", Create).WithName("AdminCreateTier");
        g.MapPut("/{id:long}", Update).WithName("AdminUpdateTier");
        g.MapDelete("/{id:long}", Delete).WithName("AdminDeleteTier");
        return app;
    }

    static async Task<Ok<IReadOnlyList<TierDto>>> List(TierStore tiers, CancellationToken ct) => TypedResults.Ok(await tiers.AllAsync(ct));

    static async Task<Results<Created<TierDto>, ValidationProblem, ProblemHttpResult>> Create(TierRequest request, TierStore tiers, CancellationToken ct)
    {
        if (Validate(request) is { } invalid) return invalid;
        return await tiers.CreateAsync(request, ct) switch
        {
            TierSaved s => TypedResults.Created($"/admin/tiers/{s.Tier.Id}", s.Tier),
            TierConflict c => Conflict(c),
            _ => throw new InvalidOperationException("unexpected tier result"),
        };
    }

    static async Task<Results<Ok<TierDto>, NotFound, ValidationProblem, ProblemHttpResult>> Update(long id, TierRequest request, TierStore tiers, CancellationToken ct)
    {
        if (Validate(request) is { } invalid) return invalid;
        return await tiers.UpdateAsync(id, request, ct) switch
        {
            TierSaved s => TypedResults.Ok(s.Tier),
            TierConflict c => Conflict(c),
            _ => TypedResults.NotFound(),
        };
    }

    static async Task<Results<NoContent, NotFound>> Delete(long id, TierStore tiers, CancellationToken ct) =>
        await tiers.DeleteAsync(id, ct) ? TypedResults.NoContent() : TypedResults.NotFound();

    // Data annotations on TierRequest cover ranges and formats; these are the rules across fields.
    static ValidationProblem? Validate(TierRequest r)
    {
        var errors = new Dictionary<string, string[]>();
        if (r.MinSpendFen is null && r.MinPointsEarned is null)
            errors["MinSpendFen"] = ["Give a threshold: MinSpendFen (lifetime spend in fen) and/or MinPointsEarned."];
        if (string.IsNullOrWhiteSpace(r.Name)) errors["Name"] = ["A name is required."];
        return errors.Count > 0 ? TypedResults.ValidationProblem(errors) : null;
    }

    static ProblemHttpResult Conflict(TierConflict c) => Problems.Conflict(c.Code, c.Message);
}
