using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MySqlConnector;
using WeChatMall.Api.Infrastructure.Outbox;
using WeChatMall.Api.Tests.TestHost;

namespace WeChatMall.Api.Tests.Infrastructure.Outbox;

/// <summary>
/// Row locks around a send: recording "sent" can lose a deadlock, and must then be recorded again, never turned into a
/// failed attempt that sends the message a second time; and a claim must not wait for rows it does not take (it once
/// locked every due row it passed and deadlocked with the recording of a send).
/// </summary>
public sealed class OutboxSettlementTests
{
    private static ApiFactory Api => TestEnvironment.Api;
    private static MySqlDataSource Db => Api.Services.GetRequiredService<MySqlDataSource>();

    private sealed class Handler(string kind, Func<Task> onSend) : IOutboxHandler
    {
        public int Sends;
        public string Kind => kind;
        public async Task HandleAsync(string payloadJson, CancellationToken ct)
        {
            Interlocked.Increment(ref Sends);
            await onSend();
        }
    }

    private static OutboxWorker Worker(IOutboxHandler handler, int claimSeconds = 30) => new(
        Api.Services.GetRequiredService<OutboxStore>(), [handler],
        Options.Create(new OutboxOptions { BatchSize = 10, ClaimSeconds = claimSeconds }), TimeProvider.System, NullLogger<OutboxWorker>.Instance);

    private static async Task<long> EnqueueAsync(string kind, string key)
    {
        await using var c = await Db.OpenConnectionAsync();
        await Api.Services.GetRequiredService<OutboxWriter>().EnqueueAsync(c, null, kind, key, new { key }, CancellationToken.None);
        return await Api.ScalarAsync<long>("SELECT id FROM outbox_messages WHERE idempotency_key = @key", new { key });
    }

    [Test]
    public async Task SendSucceeds_RecordingItLosesADeadlock_RecordedSentOnce_NotRetried()
    {
        var kind = "test." + Guid.NewGuid().ToString("N")[..8];
        var id = await EnqueueAsync(kind, kind + ":1");
        var handler = new Handler(kind, () => Task.CompletedTask);
        // MariaDB answers the first "sent" of this row with the error InnoDB gives a deadlock's victim, as it did when a
        // claim and the recording locked the row and its index entry in opposite orders.
        await using (await InjectedDeadlock.CreateAsync($"NEW.id = {id} AND NEW.status = 'sent'", nth: 1))
        {
            await Worker(handler).RunOnceAsync(CancellationToken.None);
            await Api.ScalarAsync<int>("UPDATE outbox_messages SET next_attempt_at = UTC_TIMESTAMP(3) - INTERVAL 1 SECOND WHERE id = @id", new { id });
            await Worker(handler).RunOnceAsync(CancellationToken.None);
        }

        var row = await Api.RowAsync("SELECT status, attempts, sent_at IS NOT NULL AS recorded FROM outbox_messages WHERE id = @id", new { id });
        Assert.Multiple(() =>
        {
            Assert.That((string)row!.status, Is.EqualTo("sent"));
            Assert.That((int)row.attempts, Is.EqualTo(1));
            Assert.That((long)row.recorded, Is.EqualTo(1), "sent_at is set");
            Assert.That(handler.Sends, Is.EqualTo(1), "WeChat got the message once");
        });
    }

    [Test]
    public async Task SlowSend_ARenewalOfItsLeaseFailsOnce_LaterRenewalsKeepIt_NoOtherWorkerSendsIt()
    {
        var kind = "test." + Guid.NewGuid().ToString("N")[..8];
        var id = await EnqueueAsync(kind, kind + ":1");
        var handler = new Handler(kind, () => Task.Delay(TimeSpan.FromSeconds(6))); // WeChat takes 6 s; the lease is 3 s
        // The lease is taken before the send (1st move of locked_until by its holder) and renewed every second; MariaDB
        // fails the first renewal (2nd move) as a deadlock's victim would.
        var (first, second) = (Worker(handler, claimSeconds: 3), Worker(handler, claimSeconds: 3));
        await using (await InjectedDeadlock.CreateAsync(
            $"NEW.id = {id} AND NEW.status = 'pending' AND NEW.locked_by = OLD.locked_by AND NEW.locked_until <> OLD.locked_until", nth: 2))
        {
            var sending = first.RunOnceAsync(CancellationToken.None);
            while (!sending.IsCompleted) // the other instance keeps polling while the send runs
            {
                await second.RunOnceAsync(CancellationToken.None);
                await Task.Delay(100);
            }
            await sending;
        }

        Assert.Multiple(async () =>
        {
            Assert.That(handler.Sends, Is.EqualTo(1), "WeChat got the message once");
            Assert.That(await Api.ScalarAsync<string>("SELECT status FROM outbox_messages WHERE id = @id", new { id }), Is.EqualTo("sent"));
        });
    }

    [Test]
    public async Task Claim_WhileAnotherWorkersLeasedRowIsLocked_TakesTheDueRowsWithoutWaiting()
    {
        var kind = "test." + Guid.NewGuid().ToString("N")[..8];
        var leased = await EnqueueAsync(kind, kind + ":leased");
        var due = await EnqueueAsync(kind, kind + ":due");
        await Api.ScalarAsync<int>(
            "UPDATE outbox_messages SET locked_by = 'another-instance', locked_until = UTC_TIMESTAMP(3) + INTERVAL 1 MINUTE WHERE id = @leased",
            new { leased });
        await using var sending = await Db.OpenConnectionAsync(); // the other instance, recording its send
        await using var sendingTx = await sending.BeginTransactionAsync();
        await sending.ExecuteAsync("SELECT id FROM outbox_messages WHERE id = @leased FOR UPDATE", new { leased }, sendingTx);
        var store = Api.Services.GetRequiredService<OutboxStore>();
        var now = DateTime.UtcNow;

        var claim = store.ClaimAsync("this-instance", [kind], now, now.AddSeconds(30), 10, CancellationToken.None);
        var finished = await Task.WhenAny(claim, Task.Delay(TimeSpan.FromSeconds(20))) == claim;
        await sendingTx.RollbackAsync();

        Assert.That(finished, Is.True, "the claim did not wait for the other instance's row");
        Assert.That((await claim).Select(r => r.Id), Is.EqualTo(new[] { due }));
    }

    /// <summary>
    /// A trigger that fails the <paramref name="nth"/> update of outbox_messages matching <paramref name="rowCondition"/>
    /// with 1213, the error of a deadlock's victim. A sequence counts the matches: its values survive the failed
    /// statement's rollback, which a table's would not.
    /// </summary>
    private sealed class InjectedDeadlock(string name) : IAsyncDisposable
    {
        public static async Task<InjectedDeadlock> CreateAsync(string rowCondition, int nth)
        {
            var name = "deadlock_" + Guid.NewGuid().ToString("N")[..8];
            await Api.ScalarAsync<int>($"""
                CREATE SEQUENCE {name}_seq;
                CREATE TRIGGER {name}_trg BEFORE UPDATE ON outbox_messages FOR EACH ROW
                  IF {rowCondition} THEN
                    IF NEXTVAL({name}_seq) = {nth} THEN
                      SIGNAL SQLSTATE '40001' SET MYSQL_ERRNO = 1213, MESSAGE_TEXT = 'Deadlock found when trying to get lock';
                    END IF;
                  END IF;
                """);
            return new InjectedDeadlock(name);
        }

        public async ValueTask DisposeAsync() => await Api.ScalarAsync<int>($"DROP TRIGGER {name}_trg; DROP SEQUENCE {name}_seq");
    }
}
