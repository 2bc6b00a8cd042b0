using Dapper;
using MySqlConnector;
using WeChatMall.Api.Infrastructure.Database;
using WeChatMall.Api.Tests.TestHost;

namespace WeChatMall.Api.Tests.Infrastructure.Database;

/// <summary>
/// Galera certifies a transaction at commit: when another node committed a conflicting write first, COMMIT itself fails
/// with 1213 (a deadlock to the client). <see cref="LockConflictRetry"/> runs the whole unit of work again, commit
/// included. Two writers on two nodes (what HAProxy's single-writer set-up avoids, except while it fails over).
/// </summary>
[Category(ClusterScript.Category), NonParallelizable]
public sealed class GaleraCertificationTests
{
    string table = null!;

    static string Node(int i) => new MySqlConnectionStringBuilder(TestServers.MySqlFor(TestEnvironment.Api.Database))
    {
        Server = ClusterScript.GaleraNodes[i].Split(':')[0],
        Port = uint.Parse(ClusterScript.GaleraNodes[i].Split(':')[1], System.Globalization.CultureInfo.InvariantCulture),
    }.ConnectionString;

    [SetUp]
    public async Task CreateTableAsync()
    {
        ClusterScript.Require();
        await WholeClusterAsync();
        table = "cert_" + Guid.NewGuid().ToString("N")[..10];
        await using var a = new MySqlConnection(Node(0));
        await a.ExecuteAsync($"CREATE TABLE {table} (id INT PRIMARY KEY, n INT NOT NULL) ENGINE=InnoDB; INSERT INTO {table} VALUES (1, 0)");
        // Node 2 applies the table and its row a moment later, and its UPDATE in the test does not wait for them. Even a
        // causal read (wsrep_sync_wait = 1) is not enough on MariaDB 10.11: it can return before the applied row is
        // visible, and an UPDATE that finds no row has nothing to conflict on (a run under load where the first attempt
        // "committed" and node 1 still read 10). The row is read until seen, and the UPDATE must match it.
        var onNode2 = await SeenOnNodeAsync(1, n => n == 0);
        Assert.That(onNode2, Is.EqualTo(0), "the row on node 2");
    }

    /// <summary>
    /// Reads the row on a node until <paramref name="done"/> holds (at most 20 s) and returns the last value read, null
    /// while the node has no such row. Galera applies another node's commit asynchronously, and the causal read this
    /// uses may still miss it for a moment (measured under load: 10 of 300 rounds, the node's wsrep_last_committed
    /// already at that commit in 8 of them). A node that never shows the value fails the test with what it showed.
    /// </summary>
    Task<int?> SeenOnNodeAsync(int node, Func<int?, bool> done) =>
        Eventually.MatchAsync(() => ReadOnNodeAsync(node), done, timeoutMs: 20_000);

    async Task<int?> ReadOnNodeAsync(int node)
    {
        try
        {
            await using var c = new MySqlConnection(Node(node));
            await c.OpenAsync();
            await c.ExecuteAsync("SET SESSION wsrep_sync_wait = 1");
            return await c.QuerySingleOrDefaultAsync<int?>($"SELECT n FROM {table} WHERE id = 1");
        }
        // 1146: the table itself is not applied yet; 1213: Galera aborted the read while applying it.
        catch (MySqlException ex) when (ex.ErrorCode is MySqlErrorCode.NoSuchTable || LockConflictRetry.IsLockConflict(ex))
        {
            return null;
        }
    }

    // The fault tests before these restart nodes; both nodes used here must be back in the cluster and caught up.
    static async Task WholeClusterAsync()
    {
        for (var i = 0; i < 2; i++)
        {
            await using var c = new MySqlConnection(Node(i));
            var state = "";
            for (var wait = 0; wait < 120 && state != "Synced 3"; wait++)
            {
                if (wait > 0) await Task.Delay(500);
                try
                {
                    var status = (await c.QueryAsync<(string Name, string Value)>(
                        "SHOW STATUS WHERE Variable_name IN ('wsrep_local_state_comment', 'wsrep_cluster_size')")).ToDictionary(r => r.Name, r => r.Value);
                    state = $"{status["wsrep_local_state_comment"]} {status["wsrep_cluster_size"]}";
                }
                catch (MySqlException) { state = "unreachable"; }
            }
            Assert.That(state, Is.EqualTo("Synced 3"), $"Galera node {ClusterScript.GaleraNodes[i]}: state and cluster size");
        }
    }

    [TearDown]
    public async Task DropTableAsync()
    {
        if (table is null) return;
        await using var a = new MySqlConnection(Node(0));
        await a.ExecuteAsync($"DROP TABLE IF EXISTS {table}");
    }

    // Node 2 updates the row in a transaction; node 1 commits an update of the same row meanwhile; node 2 commits.
    async Task<int> ConflictingUnitAsync(int attempt)
    {
        await using var b = new MySqlConnection(Node(1));
        await b.OpenAsync();
        await b.ExecuteAsync("SET SESSION wsrep_sync_wait = 1"); // read what node 1 committed before this transaction
        await using var tx = await b.BeginTransactionAsync();
        var updated = await b.ExecuteAsync($"UPDATE {table} SET n = n + 1 WHERE id = 1", transaction: tx);
        Assert.That(updated, Is.EqualTo(1), $"attempt {attempt}: node 2 updates the row (and holds its lock)");
        if (attempt == 1)
        {
            await using var a = new MySqlConnection(Node(0));
            await a.ExecuteAsync($"UPDATE {table} SET n = n + 10 WHERE id = 1");
        }
        await tx.CommitAsync();
        return attempt;
    }

    [Test]
    public void Without_a_retry_the_commit_on_the_second_node_fails_with_1213()
    {
        var ex = Assert.ThrowsAsync<MySqlException>(() => ConflictingUnitAsync(1));
        Assert.That(ex!.ErrorCode, Is.EqualTo(MySqlErrorCode.LockDeadlock), ex.Message);
    }

    [Test]
    public async Task LockConflictRetry_runs_the_unit_again_after_a_certification_failure_at_commit()
    {
        var attempts = 0;
        var last = await LockConflictRetry.RunAsync(() => ConflictingUnitAsync(++attempts), CancellationToken.None);

        // Node 2 committed the retry, so it reads it at once; node 1 applies it a moment later.
        var onNode2 = await SeenOnNodeAsync(1, _ => true);
        var onNode1 = await SeenOnNodeAsync(0, n => n == onNode2);
        Assert.Multiple(() =>
        {
            Assert.That(last, Is.EqualTo(2), "the first attempt lost certification, the second committed");
            Assert.That(onNode2, Is.EqualTo(11), "node 1's +10 and node 2's retried +1, nothing of the failed attempt");
            Assert.That(onNode1, Is.EqualTo(11), "node 1 agrees");
        });
    }
}
