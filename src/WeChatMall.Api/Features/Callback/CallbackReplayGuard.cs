using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace WeChatMall.Api.Features.Callback;

/// <summary>
/// In plaintext mode the signature covers only token, timestamp and nonce, not the body: a captured query string
/// could be replayed with any body. We bind each (timestamp, nonce) to the hash of the first body seen with it;
/// the same body again is a WeChat retry (allowed, de-duplicated later), a different body is refused.
/// </summary>
public sealed class CallbackReplayGuard(IDatabase redis, IOptions<CallbackOptions> options, TimeProvider clock, ILogger<CallbackReplayGuard> logger)
{
    public enum Verdict { Fresh, Stale, ReplayedWithOtherBody }

    public async Task<Verdict> CheckAsync(string timestamp, string nonce, ReadOnlyMemory<byte> body)
    {
        var skew = options.Value.MaxClockSkewSeconds;
        if (!long.TryParse(timestamp, out var seconds) || Math.Abs(clock.GetUtcNow().ToUnixTimeSeconds() - seconds) > skew)
            return Verdict.Stale;

        var hash = Convert.ToHexString(SHA256.HashData(body.Span));
        var key = $"cb:nonce:{timestamp}:{nonce}";
        try
        {
            if (await redis.StringSetAsync(key, hash, TimeSpan.FromSeconds(2 * skew), When.NotExists)) return Verdict.Fresh;
            return await redis.StringGetAsync(key) == hash ? Verdict.Fresh : Verdict.ReplayedWithOtherBody;
        }
        catch (RedisException ex)
        {
            // Signature and timestamp are still checked; only the body binding is lost while Redis is down.
            Log.ReplayGuardDegraded(logger, ex.Message);
            return Verdict.Fresh;
        }
    }
}
