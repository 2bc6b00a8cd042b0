using Microsoft.AspNetCore.Http.HttpResults;
using WeChatMall.Api.Infrastructure.Auth;
using WeChatMall.Api.Infrastructure.Http;

namespace WeChatMall.Api.Features.Channels;

/// <summary>Admin routes of the channels area: QR channels and their funnels, the custom menu, the follower sync.</summary>
public static class ChannelEndpoints
{
    public static IEndpointRouteBuilder MapChannels(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/admin/channels").WithTags("Admin: channels").RequireAdmin(AdminArea.Channels);
        g.MapGet("/", ListChannels).WithSummary("Every channel, newest first.");
        g.MapPost("/", CreateChannel.Handle).WithSummary("Create a channel and its QR code (WeChat qrcode/create).");
        g.MapGet("/{id:long}", GetChannel).WithSummary("One channel; 404 if unknown.");
        g.MapGet("/{id:long}/qr.png", QrPng).WithSummary("The channel's QR code as PNG (pixels per module 1–40, default 10).");
        g.MapGet("/{id:long}/qr.svg", QrSvg).WithSummary("The channel's QR code as SVG, for print.");
        g.MapGet("/{id:long}/funnel", Funnel).WithSummary("Scans, new followers, members, first purchases, revenue, repurchase, 30-day retention.");
        g.MapGet("/menu", PublishMenu.Get).WithSummary("The live custom menu (WeChat menu/get); 404 MENU_NOT_SET without one.");
        g.MapPut("/menu", PublishMenu.Handle).WithSummary("Publish the custom menu (WeChat menu/create) after checking WeChat's limits.");
        g.MapGet("/follower-sync", SyncStatus).WithSummary("The latest follower import: status, counts, cursor.");
        g.MapPost("/follower-sync", StartSync).WithSummary("Start importing existing followers (or return the run in progress).");
        return app;
    }

    static async Task<Ok<IReadOnlyList<ChannelDto>>> ListChannels(ChannelStore store, CancellationToken ct)
        => TypedResults.Ok(await store.ListAsync(ct));

    static async Task<Results<Ok<ChannelDto>, ProblemHttpResult>> GetChannel(long id, ChannelStore store, CancellationToken ct)
        => await store.FindAsync(id, ct) is { } ch ? TypedResults.Ok(ch) : NotFound(id);

    static async Task<Results<FileContentHttpResult, ProblemHttpResult>> QrPng(long id, int? size, ChannelStore store, CancellationToken ct)
    {
        if (BadSize(size) is { } bad) return bad;
        return await store.FindAsync(id, ct) is { } ch
            ? TypedResults.File(QrImages.Png(ch.QrUrl, size ?? QrImages.DefaultPixelsPerModule), "image/png", $"channel-{id}.png")
            : NotFound(id);
    }

    static async Task<Results<ContentHttpResult, ProblemHttpResult>> QrSvg(long id, int? size, ChannelStore store, CancellationToken ct)
    {
        if (BadSize(size) is { } bad) return bad;
        return await store.FindAsync(id, ct) is { } ch
            ? TypedResults.Content(QrImages.Svg(ch.QrUrl, size ?? QrImages.DefaultPixelsPerModule), "image/svg+xml")
            : NotFound(id);
    }

    static async Task<Results<Ok<ChannelFunnelDto>, ProblemHttpResult>> Funnel(long id, ChannelStore store, ChannelFunnel funnel, CancellationToken ct)
        => await store.FindAsync(id, ct) is null ? NotFound(id) : TypedResults.Ok(await funnel.ComputeAsync(id, ct));

    static async Task<Results<Ok<FollowerSyncRun>, ProblemHttpResult>> SyncStatus(FollowerSyncStore runs, CancellationToken ct)
        => await runs.LatestAsync(ct) is { } run ? TypedResults.Ok(run)
            : Problems.NotFound("FOLLOWER_SYNC_NOT_STARTED", "No follower sync has run yet", "Start one with POST /admin/channels/follower-sync.");

    static async Task<Results<Accepted<FollowerSyncRun>, Ok<FollowerSyncRun>>> StartSync(FollowerSyncStore runs, TimeProvider clock, CancellationToken ct)
    {
        var (run, started) = await runs.StartAsync(clock.GetUtcNow().UtcDateTime, ct);
        return started ? TypedResults.Accepted("/admin/channels/follower-sync", run) : TypedResults.Ok(run);
    }

    static ProblemHttpResult? BadSize(int? size) => size is null or (>= 1 and <= QrImages.MaxPixelsPerModule) ? null
        : Problems.BadRequest("QR_SIZE_INVALID", "size is the pixels per QR module, 1 to 40");

    static ProblemHttpResult NotFound(long id) => Problems.NotFound("CHANNEL_NOT_FOUND", "No such channel", $"Channel {id} does not exist.");
}
