using StackExchange.Redis;

namespace WeChatMall.Api.Infrastructure.Redis;

/// <summary>
/// Our own deadline on a Redis call a request waits for. StackExchange.Redis waits its asyncTimeout (5 s unless the
/// connection string says otherwise) both for a stopped server (commands wait in its reconnect backlog) and for a
/// hung one (socket open, no answer); a request that has a better answer without Redis (write to MySQL, a 503)
/// gives up after its own deadline instead (Redis:CallTimeoutMs, Redis:SessionTimeoutMs).
/// </summary>
public static class RedisDeadline
{
    /// <summary>Redis is down or too slow. <see cref="RedisTimeoutException"/> is a TimeoutException, not a RedisException.</summary>
    public static bool IsOutage(Exception ex) => ex is RedisException or TimeoutException;

    public static async Task<T> WithDeadline<T>(this Task<T> call, TimeSpan deadline, CancellationToken ct = default)
    {
        try { return await call.WaitAsync(deadline, ct); }
        catch (TimeoutException) when (!call.IsCompleted) { throw Abandon(call, deadline); }
    }

    public static async Task WithDeadline(this Task call, TimeSpan deadline, CancellationToken ct = default)
    {
        try { await call.WaitAsync(deadline, ct); }
        catch (TimeoutException) when (!call.IsCompleted) { throw Abandon(call, deadline); }
    }

    // The abandoned command still ends (answered late or timed out by the client); its failure is observed here so
    // it is not reported as an unobserved task exception.
    static RedisTimeoutException Abandon(Task call, TimeSpan deadline)
    {
        _ = call.ContinueWith(t => _ = t.Exception, CancellationToken.None,
            TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return new RedisTimeoutException(CommandFlags.None, $"Redis did not answer within {deadline.TotalMilliseconds:0} ms (Redis:CallTimeoutMs or SessionTimeoutMs)", CommandStatus.Unknown);
    }
}
