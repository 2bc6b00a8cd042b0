using System.Security.Cryptography;
using Microsoft.AspNetCore.Http.HttpResults;
using WeChatMall.Api.Infrastructure.Http;
using WeChatMall.WeChat.Api;

namespace WeChatMall.Api.Features.Channels;

/// <summary>
/// Creates a channel: its QR code through WeChat's <c>qrcode/create</c> (a scene_str code, temporary or permanent),
/// then the row. Limits are checked first, so WeChat is not asked for what it would refuse: the scene is ours alone,
/// and permanent codes stay under WeChat's 100,000 per account.
/// </summary>
public static class CreateChannel
{
    public static async Task<Results<Created<ChannelDto>, ProblemHttpResult>> Handle(
        CreateChannelRequest request, ChannelStore store, OfficialAccountClient wechat, TimeProvider clock,
        ILogger<ChannelStore> logger, CancellationToken ct)
    {
        if (!ChannelKinds.All.Contains(request.Kind))
            return Problems.BadRequest("CHANNEL_KIND_UNKNOWN", "Unknown channel kind", $"kind is one of: {string.Join(", ", ChannelKinds.All)}.");
        if (request.Permanent && request.ExpireSeconds is not null)
            return Problems.BadRequest("CHANNEL_EXPIRY_ON_PERMANENT", "A permanent QR code does not expire", "Leave expireSeconds out, or create a temporary code.");
        var scene = request.Scene ?? "ch-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        if (await store.SceneTakenAsync(scene, ct)) return SceneTaken(scene);
        if (request.Permanent && await store.PermanentCountAsync(ct) >= QrLimits.MaxPermanentCodes)
            return Problems.Conflict("CHANNEL_PERMANENT_LIMIT", "WeChat allows 100,000 permanent QR codes per account",
                "Use a temporary code (up to 30 days) instead.");

        var lifetime = TimeSpan.FromSeconds(request.ExpireSeconds ?? QrLimits.MaxTemporarySeconds);
        QrCodeTicket qr;
        try
        {
            qr = await wechat.CreateQrCodeAsync(request.Permanent ? QrCodeRequest.Permanent(scene) : QrCodeRequest.Temporary(scene, lifetime), ct);
        }
        catch (Exception ex) when (WeChatFailure.IsWeChatFailure(ex, ct))
        {
            return WeChatFailure.Problem(ex, logger, "qrcode/create");
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var channel = new ChannelDto
        {
            Name = request.Name!.Trim(), Kind = request.Kind!, Scene = scene, Permanent = request.Permanent, Ticket = qr.Ticket,
            QrUrl = qr.Url, CreatedAt = now, ExpiresAt = qr.ExpireSeconds is { } s ? now.AddSeconds(s) : null,
        };
        if (await store.InsertAsync(channel, ct) is not { } id) return SceneTaken(scene);
        Log.ChannelCreated(logger, id, channel.Kind, channel.Permanent);
        return TypedResults.Created($"/admin/channels/{id}", (await store.FindAsync(id, ct))!);
    }

    static ProblemHttpResult SceneTaken(string scene) =>
        Problems.Conflict("CHANNEL_SCENE_TAKEN", "Another channel uses this scene", $"Scene '{scene}' belongs to an existing channel.");
}
