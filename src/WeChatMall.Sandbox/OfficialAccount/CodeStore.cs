using System.Security.Cryptography;

namespace WeChatMall.Sandbox.OfficialAccount;

/// <summary>
/// One-time codes: web OAuth codes (docs/wechat-protocol.md#web-oauth) and mini-program wx.login codes (docs/wechat-protocol.md#mini-program-login). Single use, 5 minutes.
/// Also the web access tokens that OAuth codes are exchanged for. Thread-safe.
/// </summary>
public sealed class CodeStore(TimeProvider time)
{
    /// <summary>Snapshot: a snapshot-page (朋友圈快照页) visitor, answered with is_snapshotuser=1 and a virtual openid.
    /// Phone: for phone-number codes (scope "phone"), the number as getuserphonenumber answers it.</summary>
    public sealed record Grant(string AppId, string OpenId, string? UnionId, string Scope, DateTimeOffset ExpiresAt, bool Used = false,
        bool Snapshot = false, PhoneGrant? Phone = null);

    public sealed record PhoneGrant(string PurePhoneNumber, string CountryCode);

    static readonly TimeSpan CodeLife = TimeSpan.FromMinutes(5);
    readonly Lock _lock = new();
    readonly Dictionary<string, Grant> _codes = new(StringComparer.Ordinal);
    readonly Dictionary<string, Grant> _webTokens = new(StringComparer.Ordinal);

    public string Issue(string appId, string openId, string? unionId, string scope, bool snapshot = false)
    {
        var code = Random(24);
        lock (_lock) _codes[code] = new Grant(appId, openId, unionId, scope, time.GetUtcNow() + CodeLife, Snapshot: snapshot);
        return code;
    }

    /// <summary>A getPhoneNumber button code (docs/wechat-protocol.md#phone-number): single use, 5 minutes, like the others.</summary>
    public string IssuePhone(string appId, PhoneGrant phone)
    {
        var code = Random(24);
        lock (_lock) _codes[code] = new Grant(appId, "", null, "phone", time.GetUtcNow() + CodeLife, Phone: phone);
        return code;
    }

    /// <summary>0 and the grant, 40029 when unknown/expired/for another app, 40163 when already used.</summary>
    public (int Errcode, Grant? Grant) Redeem(string? code, string appId)
    {
        lock (_lock)
        {
            if (code is null || !_codes.TryGetValue(code, out var g) || g.AppId != appId || g.ExpiresAt <= time.GetUtcNow())
                return (40029, null);
            if (g.Used) return (40163, null);
            _codes[code] = g with { Used = true };
            return (0, g);
        }
    }

    public string IssueWebToken(Grant grant)
    {
        var token = Random(48);
        lock (_lock) _webTokens[token] = grant with { ExpiresAt = time.GetUtcNow().AddHours(2) };
        return token;
    }

    public Grant? FindWebToken(string? token)
    {
        lock (_lock)
            return token is not null && _webTokens.TryGetValue(token, out var g) && g.ExpiresAt > time.GetUtcNow() ? g : null;
    }

    public static string Random(int bytes) =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(bytes)).Replace('+', '-').Replace('/', '_').TrimEnd('=');
}
