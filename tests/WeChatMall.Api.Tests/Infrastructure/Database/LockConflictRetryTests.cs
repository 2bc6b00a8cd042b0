using Dapper;
using Microsoft.Extensions.DependencyInjection;
using MySqlConnector;
using WeChatMall.Api.Infrastructure.Database;
using WeChatMall.Api.Tests.TestHost;

namespace WeChatMall.Api.Tests.Infrastructure.Database;

/// <summary>A real InnoDB deadlock between two units of work: the loser runs again and both commit.</summary>
public sealed class LockConflictRetryTests
{
    static MySqlDataSource Db => TestEnvironment.Api.Services.GetRequiredService<MySqlDataSource>();

    [Test]
    public async Task Two_transactions_locking_rows_in_opposite_order_both_commit_and_the_loser_ran_twice()
    {
        var table = "retry_" + Guid.NewGuid().ToString("N")[..10];
        await using (var c = await Db.OpenConnectionAsync())
            await c.ExecuteAsync($"CREATE TABLE {table} (id INT PRIMARY KEY, n INT NOT NULL) ENGINE=InnoDB; INSERT INTO {table} VALUES (1, 0), (2, 0)");
        try
        {
            using var bothHoldFirstLock = new Barrier(2);
            var attempts = new int[2];

            async Task<int> UnitOfWork(int who, int first, int second)
            {
                var attempt = Interlocked.Increment(ref attempts[who]);
                await using var c = await Db.OpenConnectionAsync();
                await using var tx = await c.BeginTransactionAsync();
                await c.ExecuteAsync($"UPDATE {table} SET n = n + 1 WHERE id = @first", new { first }, tx);
                if (attempt == 1) bothHoldFirstLock.SignalAndWait(TimeSpan.FromSeconds(10)); // only the first round collides
                await c.ExecuteAsync($"UPDATE {table} SET n = n + 1 WHERE id = @second", new { second }, tx);
                await tx.CommitAsync();
                return attempt;
            }

            var results = await Task.WhenAll(
                Task.Run(() => LockConflictRetry.RunAsync(() => UnitOfWork(0, 1, 2), CancellationToken.None)),
                Task.Run(() => LockConflictRetry.RunAsync(() => UnitOfWork(1, 2, 1), CancellationToken.None)));

            Assert.That(results.Order(), Is.EqualTo(new[] { 1, 2 }), "exactly one side should have been rolled back and run again");
            await using var check = await Db.OpenConnectionAsync();
            var counts = (await check.QueryAsync<int>($"SELECT n FROM {table} ORDER BY id")).ToList();
            Assert.That(counts, Is.EqualTo(new[] { 2, 2 }), "each committed unit adds one to both rows, the rolled-back attempt nothing");
        }
        finally
        {
            await using var c = await Db.OpenConnectionAsync();
            await c.ExecuteAsync($"DROP TABLE IF EXISTS {table}");
        }
    }

    [Test]
    public void Other_database_errors_are_not_retried()
    {
        var attempts = 0;
        Assert.ThrowsAsync<MySqlException>(() => LockConflictRetry.RunAsync(async () =>
        {
            attempts++;
            await using var c = await Db.OpenConnectionAsync();
            return await c.ExecuteScalarAsync<int>("SELECT * FROM no_such_table_here");
        }, CancellationToken.None));
        Assert.That(attempts, Is.EqualTo(1));
    }
}
