using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using WeChatMall.Api.Infrastructure.Redis;
using WeChatMall.WeChat.OfficialAccount;

namespace WeChatMall.Api.Features.Callback;

/// <summary>
/// The callback's only shared state, in Redis, in one round trip per request:
/// <list type="bullet">
/// <item>Replay binding. Plaintext mode signs the query, not the body, so a captured query could be replayed with
/// any body: each (timestamp, nonce) is bound to the hash of the first body seen with it. The same body again is a
/// WeChat retry; another body is refused.</item>
/// <item>De-duplication across instances: the first delivery of a message stores its reply under the message's key;
/// a retry (on any instance) answers that reply and changes nothing.</item>
/// <item>Write-behind: the event to record is queued in the same step; <see cref="CallbackEventWriter"/> writes
/// events to MySQL in batches, so the callback's answer never waits for the database.</item>
/// </list>
/// </summary>
public sealed class CallbackGate(
    IDatabase redis, IOptions<CallbackOptions> options, IOptions<RedisOptions> redisOptions, TimeProvider clock, ILogger<CallbackGate> logger)
{
    public static readonly string StreamKey = RedisKeys.CallbackEvents;

    // One round trip, atomic: refuse a replayed query with another body; otherwise the first delivery stores its
    // reply and queues its event, and any later delivery gets that stored reply instead.
    private const string AdmitScript = """
        local seen = redis.call('GET', KEYS[1])
        if seen and seen ~= ARGV[1] then return {'replay'} end
        if not seen then redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2]) end
        if redis.call('SET', KEYS[2], ARGV[3], 'NX', 'EX', ARGV[4]) then
            redis.call('XADD', KEYS[3], '*', 'e', ARGV[5])
            return {'new'}
        end
        return {'dup', redis.call('GET', KEYS[2]) or ''}
        """;

    // The same checks, read-only: for a message whose reply has a side effect (a product-code claim), run before deciding.
    private const string PeekScript = """
        local seen = redis.call('GET', KEYS[1])
        if seen and seen ~= ARGV[1] then return {'replay'} end
        local reply = redis.call('GET', KEYS[2])
        if reply then return {'dup', reply} end
        return {'new'}
        """;

    public enum Admission { New, Duplicate, ReplayedWithOtherBody, RedisUnavailable }

    /// <param name="Reply">The reply to send: ours when new, the first delivery's when a duplicate.</param>
    public sealed record AdmitResult(Admission Admission, string Reply);

    public bool IsFresh(string timestamp) => CallbackSignature.IsTimestampFresh(
        timestamp, clock.GetUtcNow(), TimeSpan.FromSeconds(options.Value.MaxClockSkewSeconds));

    /// <summary>
    /// What <see cref="AdmitAsync"/> would answer, without writing: a replay with another body, or a duplicate with the
    /// first delivery's reply. New (or RedisUnavailable) means: decide, then admit as usual.
    /// </summary>
    public async Task<AdmitResult> PeekAsync(string timestamp, string nonce, ReadOnlyMemory<byte> body, string dedupKey)
    {
        var hash = Convert.ToHexString(SHA256.HashData(body.Span));
        try
        {
            var result = (RedisResult[])(await redis.ScriptEvaluateAsync(PeekScript,
                [RedisKeys.CallbackNonce(timestamp, nonce), RedisKeys.CallbackReply(dedupKey)], [hash])
                .WithDeadline(redisOptions.Value.CallTimeout))!;
            return (string?)result[0] switch
            {
                "replay" => new AdmitResult(Admission.ReplayedWithOtherBody, ""),
                "dup" => new AdmitResult(Admission.Duplicate, (string?)result[1] ?? ""),
                _ => new AdmitResult(Admission.New, ""),
            };
        }
        catch (Exception ex) when (RedisDeadline.IsOutage(ex))
        {
            Log.GateDegraded(logger, ex.Message);
            return new AdmitResult(Admission.RedisUnavailable, "");
        }
    }

    public async Task<AdmitResult> AdmitAsync(string timestamp, string nonce, ReadOnlyMemory<byte> body, string dedupKey,
        string reply, RecordedCallback record)
    {
        var hash = Convert.ToHexString(SHA256.HashData(body.Span));
        try
        {
            var result = (RedisResult[])(await redis.ScriptEvaluateAsync(AdmitScript,
                [RedisKeys.CallbackNonce(timestamp, nonce), RedisKeys.CallbackReply(dedupKey), StreamKey],
                [hash, 2 * options.Value.MaxClockSkewSeconds, reply, options.Value.ReplyCacheSeconds,
                 JsonSerializer.SerializeToUtf8Bytes(record, CallbackJson.Default.RecordedCallback)])
                .WithDeadline(redisOptions.Value.CallTimeout))!;
            return (string?)result[0] switch
            {
                "new" => new AdmitResult(Admission.New, reply),
                "replay" => new AdmitResult(Admission.ReplayedWithOtherBody, ""),
                _ => new AdmitResult(Admission.Duplicate, (string?)result[1] ?? ""),
            };
        }
        catch (Exception ex) when (RedisDeadline.IsOutage(ex))
        {
            Log.GateDegraded(logger, ex.Message);
            return new AdmitResult(Admission.RedisUnavailable, reply);
        }
    }
}
