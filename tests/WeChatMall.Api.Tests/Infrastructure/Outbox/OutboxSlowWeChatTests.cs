using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MySqlConnector;
using WeChatMall.Api.Features.AutoReplies;
using WeChatMall.Api.Features.Callback;
using WeChatMall.Api.Infrastructure.Outbox;
using WeChatMall.Api.Tests.TestHost;

namespace WeChatMall.Api.Tests.Infrastructure.Outbox;

/// <summary>
/// Two instances' workers against a slow WeChat, with a 5 s claim, while the second worker keeps polling: the first
/// worker's batch outlasts its claim (4 messages × 2 s), or a single send does (7 s). Every message still reaches the
/// follower once (counted in the sandbox's delivery log).
/// </summary>
public sealed class OutboxSlowWeChatTests
{
    [TestCase(4, 2000, TestName = "SlowWeChat_TwoWorkers_BatchOutlastsItsClaim_EachMessageDeliveredOnce")]
    [TestCase(1, 7000, TestName = "SlowWeChat_TwoWorkers_OneSendOutlastsItsClaim_MessageDeliveredOnce")]
    public async Task SlowWeChat_TwoWorkers_EachMessageDeliveredOnce(int messages, int delayMs)
    {
        await using var sandbox = await SandboxHost.StartAsync();
        await using var api = await ApiFactory.StartAsync(sandbox.ApiSettings()); // own database: only these rows are due
        var openIds = Enumerable.Range(0, messages).Select(_ => WeChatTestAccount.NewOpenId()).ToList();
        await using (var c = await api.Services.GetRequiredService<MySqlDataSource>().OpenConnectionAsync())
            foreach (var openId in openIds)
                await api.Services.GetRequiredService<OutboxWriter>().EnqueueAsync(c, null, CustomMessageHandler.Kind,
                    "slow:" + openId, new CustomMessage(openId, new ReplySpec("text", Content: "hello " + openId)), CancellationToken.None);
        var fault = await sandbox.Client.PostAsJsonAsync("/sandbox/faults", new { route = "/cgi-bin/message/custom/send", count = 100, delayMs });
        fault.EnsureSuccessStatusCode();
        OutboxWorker Worker() => new(api.Services.GetRequiredService<OutboxStore>(), api.Services.GetServices<IOutboxHandler>(),
            Options.Create(new OutboxOptions { BatchSize = 20, ClaimSeconds = 5 }), TimeProvider.System, api.Services.GetRequiredService<ILogger<OutboxWorker>>());
        var (first, second) = (Worker(), Worker());

        var firstBatch = first.RunOnceAsync(CancellationToken.None); // claims them all
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(40));
        while (await PendingAsync(api) > 0 && !deadline.IsCancellationRequested)
            if (await second.RunOnceAsync(CancellationToken.None) == 0) await Task.Delay(100);
        await firstBatch;

        var delivered = (await sandbox.Client.GetFromJsonAsync<JsonElement[]>("/sandbox/messages?kind=custom"))!
            .Select(m => m.GetProperty("openId").GetString()).ToList();
        Assert.Multiple(async () =>
        {
            Assert.That(await PendingAsync(api), Is.Zero, "every message was sent");
            Assert.That(delivered, Is.EquivalentTo(openIds), "each follower got exactly one message");
        });
    }

    static Task<long> PendingAsync(ApiFactory api) =>
        api.ScalarAsync<long>("SELECT COUNT(*) FROM outbox_messages WHERE status = 'pending'");
}
