using MySqlConnector;

namespace WeChatMall.Api.Features.Campaigns;

/// <summary>
/// Keeps a batch's claim alive while the batch is worked: every half of <c>Campaigns:ClaimSeconds</c> it extends the
/// claim by one UPDATE naming the token, so a slow batch (WeChat slow to answer, a loaded machine) is not taken over
/// and sent a second time by another instance. A dead worker renews nothing, and its claim lapses as before. The
/// batch's own writes go through <see cref="ExclusiveAsync{T}"/>, so they never wait for (or deadlock with) a
/// renewal on the same rows.
/// </summary>
public sealed class ClaimRenewal : IAsyncDisposable
{
    readonly SemaphoreSlim _gate = new(1, 1);
    readonly CancellationTokenSource _stop;
    readonly Task _loop;

    ClaimRenewal(RecipientBatchStore store, string token, TimeSpan hold, TimeProvider time, ILogger logger, CancellationToken ct)
    {
        _stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        _loop = RenewAsync(store, token, hold, time, logger, _stop.Token);
    }

    public static ClaimRenewal Start(RecipientBatchStore store, string token, TimeSpan hold, TimeProvider time, ILogger logger, CancellationToken ct) =>
        new(store, token, hold, time, logger, ct);

    /// <summary>Runs one of the batch's writes while no renewal is in flight.</summary>
    public async Task<T> ExclusiveAsync<T>(Func<Task<T>> write)
    {
        await _gate.WaitAsync(CancellationToken.None);
        try
        {
            return await write();
        }
        finally
        {
            _gate.Release();
        }
    }

    async Task RenewAsync(RecipientBatchStore store, string token, TimeSpan hold, TimeProvider time, ILogger logger, CancellationToken stop)
    {
        try
        {
            while (true)
            {
                await Task.Delay(hold / 2, time, stop);
                await _gate.WaitAsync(stop);
                try
                {
                    await store.RenewAsync(token, time.GetUtcNow().UtcDateTime + hold, stop);
                }
                catch (Exception e) when (e is MySqlException or InvalidOperationException or TimeoutException)
                {
                    // Tried again at the next tick; should the claim lapse meanwhile, another instance may take over what is not yet sent.
                    Log.RenewFailed(logger, token, e.GetType().Name);
                }
                finally
                {
                    _gate.Release();
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested) { }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
        _gate.Dispose();
    }
}
