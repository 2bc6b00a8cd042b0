using MySqlConnector;

namespace WeChatMall.Api.Infrastructure.Database;

/// <summary>
/// The one retry for a transaction InnoDB rolled back to break a deadlock (or that waited too long for a lock):
/// the whole unit of work runs again from its first read, up to <see cref="Attempts"/> times, with a short random
/// pause so the two losers do not collide again in step.
/// </summary>
public static class LockConflictRetry
{
    public const int Attempts = 5;

    public static bool IsLockConflict(MySqlException ex) =>
        ex.ErrorCode is MySqlErrorCode.LockDeadlock or MySqlErrorCode.LockWaitTimeout;

    /// <summary><see cref="RunAsync{T}"/> for a unit of work with nothing to return.</summary>
    public static Task RunAsync(Func<Task> unitOfWork, CancellationToken ct, Func<MySqlException, bool>? alsoRetry = null) =>
        RunAsync(async () =>
        {
            await unitOfWork();
            return true;
        }, ct, alsoRetry);

    /// <param name="unitOfWork">Opens its own connection and transaction: nothing of a failed attempt survives.</param>
    /// <param name="alsoRetry">Other errors that mean "start over" for this caller (e.g. a unique-key race on insert).</param>
    public static async Task<T> RunAsync<T>(Func<Task<T>> unitOfWork, CancellationToken ct, Func<MySqlException, bool>? alsoRetry = null)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await unitOfWork();
            }
            catch (MySqlException ex) when (attempt < Attempts && (IsLockConflict(ex) || alsoRetry?.Invoke(ex) == true))
            {
                await Task.Delay(Random.Shared.Next(1, 5 * attempt), ct);
            }
        }
    }
}
