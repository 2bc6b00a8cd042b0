using System.Reflection;
using WeChatMall.Sandbox.OfficialAccount;

namespace WeChatMall.Sandbox.Followers;

/// <summary>
/// Acting as a follower: GET / serves the page, and the JSON routes below push the matching message or event to the
/// app's callback and return what the follower would see.
/// </summary>
public static class FollowerEndpoints
{
    public sealed record TextRequest(string? Content, bool? SafeMode = null);
    /// <param name="UnionId">The follower's UnionID from now on (the mini-program user's, to play the same person); "" for none.</param>
    public sealed record SubscribeRequest(string? Scene = null, bool? SafeMode = null, string? UnionId = null);
    public sealed record ScanRequest(string? Scene = null, string? Ticket = null, bool? SafeMode = null);
    public sealed record ClickRequest(string? Key, bool? SafeMode = null);
    public sealed record ActionResponse(string Status, ReplyView? Reply, string? Raw, int Attempts, int? HttpStatus, string? Error);

    static readonly Lazy<string> Page = new(() =>
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("WeChatMall.Sandbox.follower.html")!;
        return new StreamReader(stream).ReadToEnd();
    });

    public static void MapFollowers(this IEndpointRouteBuilder app)
    {
        app.MapGet("/", () => Results.Content(Page.Value, "text/html; charset=utf-8"));
        var g = app.MapGroup("/sandbox/followers");
        g.MapGet("/", (FollowerRegistry f) => Results.Ok(f.All()));
        g.MapPost("/{openId}/text", Text);
        g.MapPost("/{openId}/subscribe", Subscribe);
        g.MapPost("/{openId}/unsubscribe", Unsubscribe);
        g.MapPost("/{openId}/scan", Scan);
        g.MapPost("/{openId}/click", Click);
    }

    static async Task<IResult> Text(string openId, TextRequest r, FollowerSimulator sim, FollowerRegistry followers, MessageRules rules,
        CancellationToken ct)
    {
        if (string.IsNullOrEmpty(r.Content)) return Results.BadRequest(new { error = "content is required" });
        followers.GetOrAdd(openId);
        rules.Interacted(openId, message: true);
        var xml = InboundXml.Text(sim.OriginalId, openId, sim.Now(), r.Content, Random.Shared.NextInt64(1_000_000_000_000, long.MaxValue));
        return Answer(await sim.DeliverAsync(openId, "text", xml, r.SafeMode, ct));
    }

    static async Task<IResult> Subscribe(string openId, SubscribeRequest? r, FollowerSimulator sim, FollowerRegistry followers,
        AccountState account, MessageRules rules, CancellationToken ct)
    {
        rules.Interacted(openId, message: false);
        if (r?.UnionId is { } unionId) followers.Update(openId, f => f with { UnionId = unionId.Length == 0 ? null : unionId });
        var ticket = string.IsNullOrEmpty(r?.Scene) ? null : account.CreateQrCode(r.Scene, permanent: true, 0).Ticket;
        return Answer(await SubscribeAsync(openId, r?.Scene, ticket, r?.SafeMode, sim, followers, ct));
    }

    static Task<CallbackDelivery> SubscribeAsync(string openId, string? scene, string? ticket, bool? safe,
        FollowerSimulator sim, FollowerRegistry followers, CancellationToken ct)
    {
        var now = sim.Now();
        followers.Update(openId, f => f with
        {
            Subscribed = true,
            SubscribeTime = now,
            QrSceneStr = scene ?? "",
            SubscribeScene = scene is null ? "ADD_SCENE_SEARCH" : "ADD_SCENE_QR_CODE",
        });
        var xml = scene is null
            ? InboundXml.Event(sim.OriginalId, openId, now, "subscribe")
            : InboundXml.Event(sim.OriginalId, openId, now, "subscribe", "qrscene_" + scene, ticket);
        return sim.DeliverAsync(openId, "subscribe", xml, safe, ct);
    }

    static async Task<IResult> Unsubscribe(string openId, SubscribeRequest? r, FollowerSimulator sim, FollowerRegistry followers, CancellationToken ct)
    {
        followers.Update(openId, f => f with { Subscribed = false });
        var xml = InboundXml.Event(sim.OriginalId, openId, sim.Now(), "unsubscribe", eventKey: "");
        return Answer(await sim.DeliverAsync(openId, "unsubscribe", xml, r?.SafeMode, ct));
    }

    // A scan by someone who does not follow yet arrives as a subscribe with qrscene_; otherwise as SCAN.
    static async Task<IResult> Scan(string openId, ScanRequest r, FollowerSimulator sim, FollowerRegistry followers,
        AccountState account, MessageRules rules, CancellationToken ct)
    {
        rules.Interacted(openId, message: false);
        var qr = r.Ticket is not null ? account.FindQrCode(r.Ticket)
            : string.IsNullOrEmpty(r.Scene) ? null : account.CreateQrCode(r.Scene, permanent: true, 0);
        if (qr is null) return Results.BadRequest(new { error = "give a scene, or the ticket of a live QR code" });
        if (followers.GetOrAdd(openId) is not { Subscribed: true })
            return Answer(await SubscribeAsync(openId, qr.Scene, qr.Ticket, r.SafeMode, sim, followers, ct));
        var xml = InboundXml.Event(sim.OriginalId, openId, sim.Now(), "SCAN", qr.Scene, qr.Ticket);
        return Answer(await sim.DeliverAsync(openId, "SCAN", xml, r.SafeMode, ct));
    }

    static async Task<IResult> Click(string openId, ClickRequest r, FollowerSimulator sim, FollowerRegistry followers, MessageRules rules,
        CancellationToken ct)
    {
        if (string.IsNullOrEmpty(r.Key)) return Results.BadRequest(new { error = "key is required" });
        rules.Interacted(openId, message: false);
        followers.GetOrAdd(openId);
        var xml = InboundXml.Event(sim.OriginalId, openId, sim.Now(), "CLICK", r.Key);
        return Answer(await sim.DeliverAsync(openId, "CLICK", xml, r.SafeMode, ct));
    }

    static IResult Answer(CallbackDelivery d) =>
        Results.Ok(new ActionResponse(d.Status, d.Reply, d.Raw, d.Attempts, d.HttpStatus, d.Error));
}
