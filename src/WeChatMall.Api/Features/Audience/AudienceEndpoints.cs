using Microsoft.AspNetCore.Http.HttpResults;
using MySqlConnector;
using WeChatMall.Api.Features.Audience.Rfm;
using WeChatMall.Api.Infrastructure.Auth;

namespace WeChatMall.Api.Features.Audience;

public sealed record RfmThresholdsRequest(double? RDays, double? FOrders, double? MFen);

/// <summary>A member's stats, the rebuild job, and RFM (docs/audience.md).</summary>
public static class AudienceEndpoints
{
    public static RouteGroupBuilder MapAudience(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/admin/audience").WithTags("Audience admin").RequireAdmin(AdminArea.Audience);
        g.MapGet("/members/{id:long}/stats", Stats).WithName("AdminMemberStats");
        g.MapPost("/rebuilds", StartRebuild).WithName("AdminStartAudienceRebuild");
        g.MapGet("/rebuilds/{id:long}", GetRebuild).WithName("AdminGetAudienceRebuild");
        g.MapGet("/rfm/distribution", RfmDistribution.Handle).WithName("AdminRfmDistribution");
        g.MapGet("/rfm/settings", GetRfm).WithName("AdminGetRfmSettings");
        g.MapPut("/rfm/settings", PutRfm).WithName("AdminPutRfmSettings");
        return g;
    }

    static async Task<Results<Ok<MemberStatsRow>, NotFound>> Stats(long id, MySqlDataSource db, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        return await MemberStats.FindAsync(c, id, ct) is { } row ? TypedResults.Ok(row) : TypedResults.NotFound();
    }

    /// <summary>Starts a full rebuild in the background; poll GET /admin/audience/rebuilds/{id} for progress.</summary>
    static async Task<Accepted<RebuildDto>> StartRebuild(StatsRebuild rebuild, IHostApplicationLifetime lifetime, CancellationToken ct)
    {
        var id = await rebuild.StartAsync(ct);
        var stopping = lifetime.ApplicationStopping;
        _ = Task.Run(async () =>
        {
            try { await rebuild.RunAsync(id, stopping); }
            catch (Exception) when (!stopping.IsCancellationRequested) { } // logged and recorded on the rebuild's row
            catch (OperationCanceledException) { }
        }, CancellationToken.None);
        return TypedResults.Accepted($"/admin/audience/rebuilds/{id}", (await rebuild.FindAsync(id, ct))!);
    }

    static async Task<Results<Ok<RebuildDto>, NotFound>> GetRebuild(long id, StatsRebuild rebuild, CancellationToken ct) =>
        await rebuild.FindAsync(id, ct) is { } r ? TypedResults.Ok(r) : TypedResults.NotFound();

    static async Task<Ok<RfmSettingsDto>> GetRfm(RfmSettingsStore store, CancellationToken ct) => TypedResults.Ok(await store.GetAsync(ct));

    /// <summary>Sets the thresholds (null = the average over buyers). Members are re-scored by the next rebuild or nightly pass.</summary>
    static async Task<Results<Ok<RfmSettingsDto>, ValidationProblem>> PutRfm(RfmThresholdsRequest request, RfmSettingsStore store, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (request.RDays is < 0) errors["rDays"] = ["rDays must be 0 or more."];
        if (request.FOrders is < 0) errors["fOrders"] = ["fOrders must be 0 or more."];
        if (request.MFen is < 0) errors["mFen"] = ["mFen must be 0 or more."];
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);
        return TypedResults.Ok(await store.SetThresholdsAsync(request.RDays, request.FOrders, request.MFen, ct));
    }
}
