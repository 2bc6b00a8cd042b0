using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using WeChatMall.Api.Tests.Features.Payments;
using WeChatMall.Api.Tests.TestHost;
using static WeChatMall.Api.Tests.TestHost.ApiProcesses;

namespace WeChatMall.Api.Tests.Features.Campaigns;

/// <summary>
/// Two API instances as real processes behind HAProxy, both running the campaign delivery engine, WeChat played by
/// the sandbox (its template sends slowed down so that the campaign is mid-way when the fault hits). Needs haproxy
/// (installed by scripts/cluster.sh): category ClusterFaults, run by scripts/faults.sh.
/// </summary>
[Category(ClusterScript.Category), NonParallelizable]
public sealed class CampaignInstanceKillTests
{
    const int Recipients = 20;

    /// <summary>
    /// Fault: one API instance killed with kill -9 (SIGKILL, no shutdown) while both send a campaign's template
    /// messages. Users see: every follower receives the message exactly once; the campaign completes on the surviving
    /// instance. Nothing lost, nothing twice: the dead instance's claimed recipients are taken over when their claim
    /// lapses, and a send it had in flight is repeated with the same client_msg_id, which WeChat delivers once.
    /// </summary>
    [Test, CancelAfter(300_000)]
    public async Task Api_instance_killed_mid_campaign_the_other_instance_finishes_it_each_follower_receives_it_once()
    {
        ClusterScript.Require();
        await using var sandbox = await SandboxHost.StartAsync();
        var database = await TestServers.CreateDatabaseAsync("wcm_ckill");
        var (frontPort, port1, port2) = (FreePort(), FreePort(), FreePort());
        var front = $"http://127.0.0.1:{frontPort}";
        var settings = Settings(PaymentsEnvironment.Settings(sandbox, front), database);
        settings["RateLimits:Enabled"] = "false";
        settings["Campaigns:ClaimSeconds"] = "3";
        settings["Campaigns:BatchSize"] = "4";
        settings["Campaigns:Parallelism"] = "2";
        settings["Campaigns:RetryBaseDelay"] = "00:00:00.200";
        settings["Jobs:CampaignDelivery:Interval"] = "00:00:00.200";

        using var api1 = StartApi(settings, port1);
        using var api2 = StartApi(settings, port2);
        using var haproxy = StartHaproxy(frontPort, port1, port2);
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri(front) };
            http.DefaultRequestHeaders.Add("X-Admin-Key", ApiFactory.AdminKey);
            await WaitReadyAsync(http, api1, api2);
            await sandbox.ConfigureAsync(callbackUrl: front + "/wechat/callback");

            // The followers: members known by their Official Account openid, who follow in the sandbox (the follow
            // reaches our callback through HAProxy and marks them following).
            var openIds = Enumerable.Range(0, Recipients).Select(_ => "o_kill_" + Guid.NewGuid().ToString("N")[..16]).ToList();
            var members = new List<long>();
            foreach (var openId in openIds)
            {
                members.Add((await QueryAsync<long>(database, """
                    INSERT INTO members (invite_code, created_at, updated_at) VALUES (LEFT(REPLACE(UUID(), '-', ''), 12), UTC_TIMESTAMP(3), UTC_TIMESTAMP(3));
                    INSERT INTO member_identities (member_id, kind, value, created_at) VALUES (LAST_INSERT_ID(), 'oa_openid', @openId, UTC_TIMESTAMP(3));
                    SELECT member_id FROM member_identities WHERE kind = 'oa_openid' AND value = @openId;
                    """, new { openId })).Single());
                (await sandbox.Client.PostAsJsonAsync($"/sandbox/followers/{openId}/subscribe", new { })).EnsureSuccessStatusCode();
            }
            var following = await Eventually.MatchAsync(() => QueryAsync<long>(database,
                "SELECT COUNT(*) FROM member_stats WHERE member_id IN @members AND following", new { members }), n => n[0] == Recipients, 60_000);
            Assert.That(following[0], Is.EqualTo(Recipients), "every follow reached the API");

            var tag = await ReadAsync(await http.PostAsJsonAsync("/admin/tags", new { name = "kill-" + Guid.NewGuid().ToString("N")[..8] }));
            var tagId = tag.GetProperty("id").GetInt64();
            foreach (var m in members) (await http.PostAsJsonAsync($"/admin/members/{m}/tags", new { tagId })).EnsureSuccessStatusCode();
            var segment = await ReadAsync(await http.PostAsJsonAsync("/admin/segments", new { name = "kill", rule = new { field = "tag", op = "in", value = new[] { tagId } } }));
            (await http.PostAsync("/admin/campaigns/templates/sync", null)).EnsureSuccessStatusCode();
            var created = await http.PostAsJsonAsync("/admin/campaigns", new
            {
                name = "kill -9", segmentId = segment.GetProperty("id").GetInt64(), channels = new[] { "template" },
                content = new { template = new { templateId = CampaignPeople.OaTemplate, data = new Dictionary<string, string> { ["thing1"] = "会员日", ["number2"] = "{points}", ["date3"] = "2026-12-31" } } },
            });
            Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created), await created.Content.ReadAsStringAsync());
            var id = (await ReadAsync(created)).GetProperty("id").GetInt64();

            // Each template send takes 600 ms at "WeChat": with 2 instances × 2 in flight the campaign needs about 3 s.
            (await sandbox.Client.PostAsJsonAsync("/sandbox/faults", new { route = "/cgi-bin/message/template/send", count = 1000, delayMs = 600 })).EnsureSuccessStatusCode();
            (await http.PostAsync($"/admin/campaigns/{id}/start", null)).EnsureSuccessStatusCode();
            var sentBeforeKill = (await Eventually.MatchAsync(() => QueryAsync<long>(database,
                "SELECT COUNT(*) FROM campaign_recipients WHERE campaign_id = @id AND status = 'sent'", new { id }), n => n[0] >= 3, 60_000))[0];
            var inFlightOnKill = (await QueryAsync<long>(database,
                "SELECT COUNT(*) FROM campaign_recipients WHERE campaign_id = @id AND status IN ('claimed', 'sending')", new { id }))[0];
            Signal(api1, "KILL");

            var status = await Eventually.MatchAsync(async () => (await QueryAsync<string>(database, "SELECT status FROM campaigns WHERE id = @id", new { id }))[0],
                s => s == "completed", 120_000);
            var delivered = new List<int>();
            foreach (var openId in openIds)
                delivered.Add((await sandbox.Client.GetFromJsonAsync<JsonElement[]>($"/sandbox/messages?openid={Uri.EscapeDataString(openId)}&kind=template"))!.Length);
            var sent = (await QueryAsync<long>(database, "SELECT COUNT(*) FROM campaign_recipients WHERE campaign_id = @id AND status = 'sent'", new { id }))[0];
            TestContext.Out.WriteLine($"sent before the kill: {sentBeforeKill}; claimed or in flight at the kill: {inFlightOnKill}; sent in the end: {sent}");

            Assert.Multiple(() =>
            {
                Assert.That(api1.WaitForExit(10_000) && api1.HasExited, Is.True, "instance 1 was killed");
                Assert.That(sentBeforeKill, Is.LessThan(Recipients), "the campaign was mid-way when the instance died");
                Assert.That(status, Is.EqualTo("completed"));
                Assert.That(sent, Is.EqualTo(Recipients));
                Assert.That(delivered, Has.Count.EqualTo(Recipients).And.All.EqualTo(1), "every follower received it exactly once");
            });
        }
        finally
        {
            foreach (var p in new[] { api1, api2, haproxy }) if (!p.HasExited) p.Kill();
            await TestServers.DropDatabaseAsync(database);
        }
    }

    static async Task<JsonElement> ReadAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.That((int)response.StatusCode, Is.LessThan(300), body);
        return JsonDocument.Parse(body).RootElement;
    }
}
