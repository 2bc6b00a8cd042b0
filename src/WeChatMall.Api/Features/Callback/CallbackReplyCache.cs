using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace WeChatMall.Api.Features.Callback;

/// <summary>
/// De-duplicates WeChat's retries across instances: the first delivery of a message claims its key and later
/// stores the reply under it; a retry (on any instance) gets that same reply instead of being handled again.
/// </summary>
public sealed class CallbackReplyCache(IDatabase redis, IOptions<CallbackOptions> options, TimeProvider clock, ILogger<CallbackReplyCache> logger)
{
    private const string Pending = "\u0000pending";
    public enum ClaimResult { Claimed, Duplicate, Unavailable }

    private static string Key(string dedupKey) => "cb:reply:" + dedupKey;

    public async Task<ClaimResult> TryClaimAsync(string dedupKey)
    {
        try
        {
            // Short claim: if this instance dies mid-way, the next retry may handle the message.
            return await redis.StringSetAsync(Key(dedupKey), Pending, TimeSpan.FromSeconds(30), When.NotExists)
                ? ClaimResult.Claimed : ClaimResult.Duplicate;
        }
        catch (RedisException ex)
        {
            Log.ReplyCacheDegraded(logger, ex.Message);
            return ClaimResult.Unavailable;
        }
    }

    public async Task StoreAsync(string dedupKey, string reply)
    {
        try { await redis.StringSetAsync(Key(dedupKey), reply, TimeSpan.FromSeconds(options.Value.ReplyCacheSeconds)); }
        catch (RedisException ex) { Log.ReplyCacheDegraded(logger, ex.Message); }
    }

    public async Task ReleaseAsync(string dedupKey)
    {
        try { await redis.KeyDeleteAsync(Key(dedupKey)); }
        catch (RedisException ex) { Log.ReplyCacheDegraded(logger, ex.Message); }
    }

    /// <summary>The first delivery's reply, waiting while it is still being produced; null if it never comes.</summary>
    public async Task<string?> WaitForReplyAsync(string dedupKey, CancellationToken ct)
    {
        var deadline = clock.GetUtcNow().AddMilliseconds(options.Value.RetryWaitMilliseconds);
        while (true)
        {
            try
            {
                var value = await redis.StringGetAsync(Key(dedupKey));
                if (value.HasValue && value != Pending) return value;
                if (!value.HasValue) return null;
            }
            catch (RedisException ex)
            {
                Log.ReplyCacheDegraded(logger, ex.Message);
                return null;
            }
            if (clock.GetUtcNow() >= deadline) return null;
            await Task.Delay(TimeSpan.FromMilliseconds(25), clock, ct);
        }
    }
}
