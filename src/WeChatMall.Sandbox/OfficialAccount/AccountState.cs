using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace WeChatMall.Sandbox.OfficialAccount;

/// <summary>The Official Account's custom menu and parametric QR codes. Thread-safe.</summary>
public sealed class AccountState(TimeProvider time)
{
    public sealed record QrCode(string Ticket, string Scene, bool Permanent, DateTimeOffset? ExpiresAt);

    readonly Lock _lock = new();
    readonly Dictionary<string, QrCode> _qrCodes = new(StringComparer.Ordinal);
    string? _menu;

    /// <summary>Validates the menu limits of docs/wechat-protocol.md#custom-menu (<see cref="MenuLimits"/>); returns the errcode (0 when stored).</summary>
    public int SetMenu(JsonElement body)
    {
        if (MenuLimits.Check(body) is not 0 and var errcode) return errcode;
        var buttons = body.GetProperty("button");
        lock (_lock) _menu = JsonSerializer.Serialize(new { button = buttons });
        return 0;
    }

    public JsonNode? Menu()
    {
        lock (_lock) return _menu is null ? null : JsonNode.Parse(_menu);
    }

    public bool DeleteMenu()
    {
        lock (_lock)
        {
            var had = _menu is not null;
            _menu = null;
            return had;
        }
    }

    public QrCode CreateQrCode(string scene, bool permanent, int expireSeconds)
    {
        var ticket = "gQ" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).Replace('+', '-').Replace('/', '_');
        var qr = new QrCode(ticket, scene, permanent, permanent ? null : time.GetUtcNow().AddSeconds(expireSeconds));
        lock (_lock) _qrCodes[ticket] = qr;
        return qr;
    }

    public QrCode? FindQrCode(string ticket)
    {
        lock (_lock)
            return _qrCodes.TryGetValue(ticket, out var qr) && (qr.ExpiresAt is null || qr.ExpiresAt > time.GetUtcNow()) ? qr : null;
    }
}
