using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MySqlConnector;
using WeChatMall.Api.Infrastructure.Outbox;
using WeChatMall.Api.Tests.TestHost;

namespace WeChatMall.Api.Tests.Infrastructure.Outbox;

public sealed class OutboxWorkerTests
{
    private sealed class RecordingHandler(string kind, Func<string, Exception?> outcome) : IOutboxHandler
    {
        public ConcurrentBag<string> Handled { get; } = [];
        public string Kind => kind;
        public Task HandleAsync(string payloadJson, CancellationToken ct)
        {
            Handled.Add(payloadJson);
            return outcome(payloadJson) is { } ex ? Task.FromException(ex) : Task.CompletedTask;
        }
    }

    private static ApiFactory Api => TestEnvironment.Api;

    private static OutboxWorker Worker(IOutboxHandler handler, int maxAttempts = 3) => new(
        Api.Services.GetRequiredService<OutboxStore>(), [handler],
        Options.Create(new OutboxOptions { BatchSize = 500, MaxAttempts = maxAttempts }), TimeProvider.System,
        NullLogger<OutboxWorker>.Instance);

    private static async Task EnqueueAsync(string kind, int count)
    {
        var writer = Api.Services.GetRequiredService<OutboxWriter>();
        await using var c = await Api.Services.GetRequiredService<MySqlDataSource>().OpenConnectionAsync();
        for (var i = 0; i < count; i++)
            await writer.EnqueueAsync(c, null, kind, $"{kind}:{i}", new { n = i }, CancellationToken.None);
    }

    private static Task<long> CountAsync(string kind, string status) =>
        Api.ScalarAsync<long>("SELECT COUNT(*) FROM outbox_messages WHERE kind = @kind AND status = @status", new { kind, status });

    [Test]
    public async Task Enqueue_SameIdempotencyKeyTwice_QueuesOnce()
    {
        var kind = "test." + Guid.NewGuid().ToString("N")[..8];
        await EnqueueAsync(kind, 1);
        await EnqueueAsync(kind, 1);

        Assert.That(await CountAsync(kind, "pending"), Is.EqualTo(1));
    }

    [Test]
    public async Task TwoWorkers_Concurrently_SendEachMessageExactlyOnce()
    {
        var kind = "test." + Guid.NewGuid().ToString("N")[..8];
        await EnqueueAsync(kind, 40);
        var handler = new RecordingHandler(kind, _ => null);
        var (a, b) = (Worker(handler), Worker(handler));

        await Task.WhenAll(a.RunOnceAsync(CancellationToken.None), b.RunOnceAsync(CancellationToken.None));
        await a.RunOnceAsync(CancellationToken.None);

        Assert.Multiple(async () =>
        {
            Assert.That(handler.Handled, Has.Count.EqualTo(40));
            Assert.That(handler.Handled.Distinct().Count(), Is.EqualTo(40));
            Assert.That(await CountAsync(kind, "sent"), Is.EqualTo(40));
        });
    }

    [Test]
    public async Task FailingSend_IsRetriedLater_ThenDeadAfterMaxAttempts()
    {
        var kind = "test." + Guid.NewGuid().ToString("N")[..8];
        await EnqueueAsync(kind, 1);
        var worker = Worker(new RecordingHandler(kind, _ => new HttpRequestException("WeChat down")), maxAttempts: 2);

        await worker.RunOnceAsync(CancellationToken.None);
        var afterFirst = await Api.RowAsync("SELECT status, attempts, next_attempt_at > UTC_TIMESTAMP(3) AS later, last_error FROM outbox_messages WHERE kind = @kind", new { kind });
        await Api.ScalarAsync<int>("UPDATE outbox_messages SET next_attempt_at = UTC_TIMESTAMP(3) - INTERVAL 1 SECOND WHERE kind = @kind", new { kind });
        await worker.RunOnceAsync(CancellationToken.None);

        Assert.Multiple(async () =>
        {
            Assert.That((string)afterFirst!.status, Is.EqualTo("pending"));
            Assert.That((int)afterFirst.attempts, Is.EqualTo(1));
            Assert.That((long)afterFirst.later, Is.EqualTo(1), "backoff pushes the next attempt into the future");
            Assert.That((string)afterFirst.last_error, Is.EqualTo("WeChat down"));
            Assert.That(await CountAsync(kind, "dead"), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task PermanentFailure_GoesDeadAtOnce()
    {
        var kind = "test." + Guid.NewGuid().ToString("N")[..8];
        await EnqueueAsync(kind, 1);

        await Worker(new RecordingHandler(kind, _ => new OutboxPermanentFailure("user unfollowed")), maxAttempts: 8).RunOnceAsync(CancellationToken.None);

        Assert.That(await CountAsync(kind, "dead"), Is.EqualTo(1));
    }
}
