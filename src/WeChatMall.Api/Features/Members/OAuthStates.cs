using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using WeChatMall.Api.Infrastructure.Redis;

namespace WeChatMall.Api.Features.Members;

/// <summary>What the authorize step remembered for its callback.</summary>
public sealed record PendingOAuth(string ReturnUrl, string Scope, string BrowserHash);

/// <summary>
/// Single-use OAuth states in Redis (a fixed lifetime of Members:OAuthStateMinutes). Each is bound to the browser
/// that started it through the <see cref="CookieName"/> cookie, whose SHA-256 the state keeps: a callback URL carried
/// to another browser (login CSRF, a leaked link) does not match, and GETDEL makes a replay find nothing.
/// </summary>
public sealed class OAuthStates(IDatabase redis, IOptions<MemberOptions> options)
{
    public const string CookieName = "wcm_oauth";

    // INCR and the window's expiry in one step, so a counter can never be left without a TTL.
    const string CountInWindow = """
        local n = redis.call('INCR', KEYS[1])
        if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
        return n
        """;

    public TimeSpan Lifetime => TimeSpan.FromMinutes(options.Value.OAuthStateMinutes);

    /// <summary>
    /// A new state (32 alphanumeric characters, as WeChat allows in state) for this browser; null when the client
    /// (IP) has started OAuthStatesPerClient states in the current window. The authorize step is anonymous and each
    /// state is a Redis entry, so without this bound anyone could fill Redis (a browser id is free to make up).
    /// </summary>
    public async Task<string?> CreateAsync(string browserId, string? clientIp, string returnUrl, string scope, CancellationToken ct)
    {
        var counter = RedisKeys.OAuthStatesOfClient(clientIp ?? "unknown");
        var started = (long)await redis.ScriptEvaluateAsync(CountInWindow, [counter], [(long)Lifetime.TotalMilliseconds]).WaitAsync(ct);
        if (started > options.Value.OAuthStatesPerClient) return null;
        var state = RandomNumberGenerator.GetString("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", 32);
        var json = JsonSerializer.Serialize(new PendingOAuth(returnUrl, scope, Hash(browserId)));
        await redis.StringSetAsync(RedisKeys.OAuthState(state), json, Lifetime).WaitAsync(ct);
        return state;
    }

    /// <summary>Takes the state out (once, atomically); null when unknown, expired or already used.</summary>
    public async Task<PendingOAuth?> ConsumeAsync(string state, CancellationToken ct)
    {
        var value = await redis.StringGetDeleteAsync(RedisKeys.OAuthState(state)).WaitAsync(ct);
        return value.HasValue ? JsonSerializer.Deserialize<PendingOAuth>(value.ToString()) : null;
    }

    public static bool IsSameBrowser(PendingOAuth pending, string? browserId) =>
        browserId is { Length: > 0 and <= 128 }
        && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Hash(browserId)), Encoding.ASCII.GetBytes(pending.BrowserHash));

    /// <summary>The browser's id from its cookie, or a new random one.</summary>
    public static string BrowserId(HttpRequest request) =>
        request.Cookies[CookieName] is { Length: 43 } existing && existing.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_')
            ? existing
            : Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    static string Hash(string value) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)));
}
