using System.Globalization;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace WeChatMall.Api.Features.Callback;

/// <summary>
/// The callback event queue in /health/ready: how many events wait to be written to MySQL and how long the oldest
/// has waited (entries are deleted once written, so the first entry is the oldest unwritten one). Degraded past
/// Callback:QueueDegradedLength or Callback:QueueDegradedAgeSeconds: the writers are behind or stopped.
/// </summary>
public sealed class CallbackQueueHealthCheck(IDatabase redis, IOptions<CallbackOptions> options, TimeProvider clock) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        var o = options.Value;
        try
        {
            var length = redis.StreamLengthAsync(CallbackGate.StreamKey);
            var oldest = redis.StreamRangeAsync(CallbackGate.StreamKey, "-", "+", count: 1);
            await Task.WhenAll(length, oldest).WaitAsync(TimeSpan.FromSeconds(2), ct);
            var age = oldest.Result.Length == 0 ? TimeSpan.Zero : clock.GetUtcNow() - EntryTime(oldest.Result[0].Id);
            if (age < TimeSpan.Zero) age = TimeSpan.Zero;
            var data = new Dictionary<string, object> { ["length"] = length.Result, ["oldestAgeSeconds"] = Math.Round(age.TotalSeconds, 1) };
            var behind = length.Result > o.QueueDegradedLength || age.TotalSeconds > o.QueueDegradedAgeSeconds;
            var description = $"{length.Result} event(s) waiting, oldest {age.TotalSeconds:0.0} s";
            return behind ? HealthCheckResult.Degraded(description, data: data) : HealthCheckResult.Healthy(description, data);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            return HealthCheckResult.Degraded("Callback queue unknown: Redis is unavailable");
        }
    }

    // A stream id is "<unix ms>-<seq>".
    private static DateTimeOffset EntryTime(RedisValue id) =>
        DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(((string)id!).Split('-')[0], CultureInfo.InvariantCulture));
}
