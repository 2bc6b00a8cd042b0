using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace WeChatMall.Sandbox.OfficialAccount;

/// <summary>
/// access_token issuing as WeChat does it (docs/wechat-protocol.md#access-token): /cgi-bin/token issues a new token each call and leaves the previous
/// one valid for 5 more minutes; /cgi-bin/stable_token returns the current token while it has more than 5 minutes
/// left, and force_refresh invalidates it at once. The two kinds are independent. Thread-safe.
/// </summary>
public sealed class TokenService(IOptions<SandboxOptions> options, TimeProvider time)
{
    static readonly TimeSpan Grace = TimeSpan.FromMinutes(5);

    sealed record Issued(string AppId, DateTimeOffset ExpiresAt, bool Superseded = false);

    readonly Lock _lock = new();
    readonly Dictionary<string, Issued> _tokens = new(StringComparer.Ordinal);
    readonly Dictionary<(string AppId, bool Stable), string> _latest = [];

    TimeSpan Lifetime => TimeSpan.FromSeconds(options.Value.TokenLifetimeSeconds);

    /// <summary>errcode 0 with the token, or the credential error WeChat would give.</summary>
    public (int Errcode, string? Token, int ExpiresIn) Issue(string? grantType, string? appId, string? secret, bool stable, bool force)
    {
        if (grantType != "client_credential") return (40002, null, 0);
        if (CheckCredentials(appId, secret) is not 0 and var error) return (error, null, 0);
        var now = time.GetUtcNow();
        lock (_lock)
        {
            if (_latest.TryGetValue((appId!, stable), out var current) && _tokens.TryGetValue(current, out var issued))
            {
                if (stable && !force && issued.ExpiresAt - now > Grace)
                    return (0, current, (int)(issued.ExpiresAt - now).TotalSeconds);
                // The previous token keeps working for the grace period, except after a forced refresh.
                if (stable && force) _tokens.Remove(current);
                else _tokens[current] = issued with { ExpiresAt = issued.ExpiresAt < now + Grace ? issued.ExpiresAt : now + Grace, Superseded = true };
            }
            var token = NewToken();
            _tokens[token] = new Issued(appId!, now + Lifetime);
            _latest[(appId!, stable)] = token;
            return (0, token, (int)Lifetime.TotalSeconds);
        }
    }

    /// <summary>0 when valid; 41001 missing, 40001 unknown or replaced ("not latest"), 42001 expired.</summary>
    public int Validate(string? token, out string? appId)
    {
        appId = null;
        if (string.IsNullOrEmpty(token)) return 41001;
        lock (_lock)
        {
            if (!_tokens.TryGetValue(token, out var issued)) return 40001;
            appId = issued.AppId;
            if (issued.ExpiresAt > time.GetUtcNow()) return 0;
            return issued.Superseded ? 40001 : 42001;
        }
    }

    public int CheckCredentials(string? appId, string? secret)
    {
        var o = options.Value;
        if (string.IsNullOrEmpty(appId)) return 41002;
        if (string.IsNullOrEmpty(secret)) return 41004;
        var expected = appId == o.OfficialAccount.AppId ? o.OfficialAccount.AppSecret
            : appId == o.MiniProgram.AppId && o.MiniProgram.AppId != "" ? o.MiniProgram.AppSecret : null;
        if (expected is null) return 40013;
        return expected == secret ? 0 : 40125;
    }

    public void Clear()
    {
        lock (_lock)
        {
            _tokens.Clear();
            _latest.Clear();
        }
    }

    // Real tokens are long opaque strings (reserve 512 chars); ours are shorter but just as opaque.
    static string NewToken() => "sbx_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(48))
        .Replace('+', '-').Replace('/', '_').TrimEnd('=');
}
