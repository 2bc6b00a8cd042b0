using System.Net;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;
using WeChatMall.Api.Features.Members;
using WeChatMall.Api.Features.Operators;
using WeChatMall.Api.Infrastructure.Redis;
using WeChatMall.Api.Tests.TestHost;
using static WeChatMall.Api.Tests.Features.Callback.CallbackTestData;

namespace WeChatMall.Api.Tests.Infrastructure.Redis;

/// <summary>
/// The API on a real Redis Cluster (3 masters, each with a replica; docs/scale-out.md), configured by its connection
/// string alone. Multi-key steps must stay within one hash slot there, and a killed master is replaced by its replica.
/// </summary>
[NonParallelizable]
public sealed class RedisClusterTests
{
    RedisCluster cluster = null!;
    ApiFactory api = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        cluster = await RedisCluster.StartAsync(replicasPerMaster: 1);
        api = TestEnvironment.Api.StartSibling(new Dictionary<string, string?> { ["ConnectionStrings:Redis"] = cluster.ConnectionString });
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await api.DisposeAsync();
        await cluster.DisposeAsync();
    }

    [Test, Order(1)]
    public async Task Callback_retries_on_a_Redis_Cluster_get_the_first_reply_and_are_logged_once()
    {
        // The gate's one-step script touches the nonce, the reply and the event stream: on a cluster they must share a
        // slot, or Redis refuses it (CROSSSLOT) and every delivery is handled as new (another random reply, logged again).
        var keyword = Unique("cluster");
        await CreateRuleAsync(api, TextRule("keyword", keyword, match: "exact", replies: Enumerable.Range(1, 10).Select(i => $"reply {i}").ToArray()));
        using var client = api.CreateClient();
        var openId = WeChatTestAccount.NewOpenId();
        var xml = WeChatTestAccount.Text(openId, keyword, WeChatTestAccount.NewMsgId());
        var url = WeChatTestAccount.PlainUrl(openId);

        var replies = new List<string>();
        for (var i = 0; i < 4; i++)
            replies.Add(await (await client.PostAsync(url, WeChatTestAccount.XmlContent(xml))).Content.ReadAsStringAsync());
        await api.DrainCallbackEventsAsync();
        var logged = await api.ScalarAsync<long>("SELECT COUNT(*) FROM follower_messages WHERE openid = @openId", new { openId });

        Assert.Multiple(() =>
        {
            Assert.That(replies.Select(Content).Distinct().Count(), Is.EqualTo(1), string.Join(" | ", replies));
            Assert.That(logged, Is.EqualTo(1));
        });
    }

    [Test, Order(2)]
    public async Task Member_sessions_on_a_Redis_Cluster_are_issued_found_and_all_revoked()
    {
        // A session and its member's index live in different slots: no transaction and no multi-key DEL may span them.
        var sessions = api.Services.GetRequiredService<MemberSessions>();
        var memberId = long.MaxValue - Random.Shared.Next(1_000_000);
        var issued = new List<IssuedSession>();
        for (var i = 0; i < 3; i++) issued.Add(await sessions.IssueAsync(memberId, CancellationToken.None));
        var found = new List<long?>();
        foreach (var s in issued) found.Add(await sessions.FindAsync(s.Token, CancellationToken.None));

        await sessions.RevokeAllAsync(memberId, CancellationToken.None);
        var afterRevoke = new List<long?>();
        foreach (var s in issued) afterRevoke.Add(await sessions.FindAsync(s.Token, CancellationToken.None));

        Assert.Multiple(() =>
        {
            Assert.That(found, Is.All.EqualTo(memberId));
            Assert.That(afterRevoke, Is.All.Null);
        });
    }

    [Test, Order(2)]
    public async Task Operator_sessions_on_a_Redis_Cluster_are_issued_found_and_all_revoked()
    {
        var sessions = api.Services.GetRequiredService<OperatorSessions>();
        var op = new OperatorRow { Id = long.MaxValue - Random.Shared.Next(1_000_000), Username = "cluster", Role = "owner" };
        var issued = new List<IssuedOperatorSession>();
        for (var i = 0; i < 3; i++) issued.Add(await sessions.IssueAsync(op, CancellationToken.None));
        var found = new List<OperatorSession?>();
        foreach (var s in issued) found.Add(await sessions.FindAsync(s.CookieValue, CancellationToken.None));

        await sessions.RevokeAllAsync(op.Id, CancellationToken.None);
        var afterRevoke = new List<OperatorSession?>();
        foreach (var s in issued) afterRevoke.Add(await sessions.FindAsync(s.CookieValue, CancellationToken.None));

        Assert.Multiple(() =>
        {
            Assert.That(found.Select(f => f?.OperatorId), Is.All.EqualTo(op.Id));
            Assert.That(afterRevoke, Is.All.Null);
        });
    }

    /// <summary>
    /// Fault: the master holding the callback's keys ({cb}) is killed (SIGKILL) while followers send messages and
    /// shoppers read the catalog. Users see: every callback answered 200 (degraded, written straight to MySQL while the
    /// slot has no master), every catalog read 200 (from MySQL when the cache does not answer). Nothing lost: after
    /// the replica took over, every message is in follower_messages exactly once.
    /// </summary>
    [Test, Order(3)]
    public async Task Redis_master_killed_during_callbacks_and_catalog_reads_answers_continue_and_nothing_is_lost()
    {
        using var client = api.CreateClient();
        var openIds = Enumerable.Range(0, 60).Select(_ => WeChatTestAccount.NewOpenId()).ToList();
        var statuses = new List<HttpStatusCode>();
        var catalogStatuses = new List<HttpStatusCode>();
        var streamKey = (RedisKey)(api.RedisPrefix + RedisKeys.CallbackEvents);

        for (var i = 0; i < openIds.Count; i++)
        {
            if (i == 20) await cluster.KillMasterOfAsync(streamKey);
            var xml = WeChatTestAccount.Text(openIds[i], "hello " + i, WeChatTestAccount.NewMsgId());
            var callback = client.PostAsync(WeChatTestAccount.PlainUrl(openIds[i]), WeChatTestAccount.XmlContent(xml));
            var catalog = client.GetAsync("/api/catalog/categories");
            statuses.Add((await callback).StatusCode);
            catalogStatuses.Add((await catalog).StatusCode);
            if (i >= 20) await Task.Delay(50); // spread the rest over the failover (cluster-node-timeout 1 s)
        }
        await cluster.WaitUntilOkAsync(TimeSpan.FromSeconds(30));
        await api.DrainCallbackEventsAsync();
        var logged = (await api.QueryAsync<string>(
            "SELECT openid FROM follower_messages WHERE openid IN @openIds", new { openIds })).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(statuses, Is.All.EqualTo(HttpStatusCode.OK), "callbacks");
            Assert.That(catalogStatuses, Is.All.EqualTo(HttpStatusCode.OK), "catalog reads");
            Assert.That(logged, Is.EquivalentTo(openIds), "every message logged exactly once");
        });
    }
}
