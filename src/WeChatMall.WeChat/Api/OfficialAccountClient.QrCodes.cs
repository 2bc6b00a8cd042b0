namespace WeChatMall.WeChat.Api;

public sealed partial class OfficialAccountClient
{
    /// <summary><c>cgi-bin/qrcode/create</c>; scans arrive as subscribe (<c>qrscene_</c>+scene) or SCAN events.</summary>
    public async Task<QrCodeTicket> CreateQrCodeAsync(QrCodeRequest request, CancellationToken ct)
    {
        object scene = request.SceneStr is { } s ? new { scene_str = s } : new { scene_id = request.SceneId };
        var json = await _api.PostAsync("cgi-bin/qrcode/create", new
        {
            expire_seconds = request.ExpireSeconds,
            action_name = request.ActionName,
            action_info = new { scene },
        }, ct);
        var expires = json.Long("expire_seconds");
        return new QrCodeTicket(json.Required("ticket", "cgi-bin/qrcode/create"), expires == 0 ? null : expires, json.Str("url") ?? "");
    }

    /// <summary>The image URL for a ticket (<c>showqrcode</c>, no token needed).</summary>
    public string BuildQrCodeImageUrl(string ticket)
        => $"{_api.Http.Options.MpBaseUrl.TrimEnd('/')}/cgi-bin/showqrcode?ticket={Uri.EscapeDataString(ticket)}";
}

/// <summary>A created QR code: ExpireSeconds is null for permanent codes (docs/wechat-protocol.md#qr-codes).</summary>
public sealed record QrCodeTicket(string Ticket, long? ExpireSeconds, string Url);

/// <summary>
/// A parametric QR code request (docs/wechat-protocol.md#qr-codes), validated on creation: temporary codes last 1 s … 30 days with a non-zero
/// scene_id; permanent codes take scene_id 1…100000; scene_str is 1…64 characters.
/// </summary>
public sealed record QrCodeRequest
{
    public const int MaxTemporarySeconds = 2_592_000;

    public string ActionName { get; }
    public long? ExpireSeconds { get; }
    public int? SceneId { get; }
    public string? SceneStr { get; }

    QrCodeRequest(string action, long? expire, int? id, string? str) => (ActionName, ExpireSeconds, SceneId, SceneStr) = (action, expire, id, str);

    public static QrCodeRequest Temporary(int sceneId, TimeSpan lifetime)
        => sceneId == 0 ? throw new ArgumentOutOfRangeException(nameof(sceneId), "scene_id must be non-zero.")
            : new("QR_SCENE", Seconds(lifetime), sceneId, null);

    public static QrCodeRequest Temporary(string sceneStr, TimeSpan lifetime)
        => new("QR_STR_SCENE", Seconds(lifetime), null, CheckStr(sceneStr));

    public static QrCodeRequest Permanent(int sceneId)
        => sceneId is < 1 or > 100_000 ? throw new ArgumentOutOfRangeException(nameof(sceneId), "Permanent scene_id must be 1..100000.")
            : new("QR_LIMIT_SCENE", null, sceneId, null);

    public static QrCodeRequest Permanent(string sceneStr) => new("QR_LIMIT_STR_SCENE", null, null, CheckStr(sceneStr));

    static long Seconds(TimeSpan lifetime) => (long)lifetime.TotalSeconds is var s and >= 1 and <= MaxTemporarySeconds
        ? s : throw new ArgumentOutOfRangeException(nameof(lifetime), "Temporary QR codes last 1 s to 30 days.");

    static string CheckStr(string s) => s is { Length: >= 1 and <= 64 }
        ? s : throw new ArgumentOutOfRangeException(nameof(s), "scene_str must be 1..64 characters.");
}
