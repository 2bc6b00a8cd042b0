using System.Net;
using System.Net.Http.Json;
using WeChatMall.Api.Tests.TestHost;
using static WeChatMall.Api.Tests.Features.Campaigns.CampaignPeople;

namespace WeChatMall.Api.Tests.Features.Campaigns;

/// <summary>Creating, approving, cancelling and test-sending campaigns through the admin API.</summary>
[NonParallelizable]
public sealed class CampaignAdminTests
{
    static ApiFactory Api => CampaignsEnvironment.Api;

    [Test]
    public async Task List_FiltersByStatus_PagesByBeforeId_AndRefusesBadParameters()
    {
        var segment = await SegmentOfAsync(await NewMemberAsync(follow: false));
        using var admin = Api.CreateAdminClient();
        var ids = new List<long>();
        for (var i = 0; i < 3; i++)
        {
            var created = await admin.PostAsJsonAsync("/admin/campaigns", new { name = $"list {i}", segmentId = segment, channels = new[] { "text" }, content = new { text = "hi" } });
            Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created), await created.Content.ReadAsStringAsync());
            ids.Add((await ReadAsync(created)).GetProperty("id").GetInt64());
        }
        (await admin.PostAsync($"/admin/campaigns/{ids[1]}/cancel", null)).EnsureSuccessStatusCode();

        async Task<long[]> Ids(string query)
        {
            var response = await admin.GetAsync("/admin/campaigns?" + query);
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
            return [.. (await ReadAsync(response)).EnumerateArray().Select(c => c.GetProperty("id").GetInt64())];
        }
        var firstPage = await Ids($"limit=2&beforeId={ids[2] + 1}");
        var secondPage = await Ids($"limit=2&beforeId={firstPage[^1]}");
        var cancelled = await Ids("status=cancelled");
        var drafts = await Ids("status=draft");

        Assert.Multiple(async () =>
        {
            Assert.That(firstPage, Is.EqualTo(new[] { ids[2], ids[1] }));
            Assert.That(secondPage[0], Is.EqualTo(ids[0]));
            Assert.That(cancelled, Does.Contain(ids[1]).And.Not.Contain(ids[0]));
            Assert.That(drafts, Does.Contain(ids[0]).And.Contain(ids[2]).And.Not.Contain(ids[1]));
            foreach (var bad in new[] { "status=sent", "limit=0", "limit=201", "beforeId=0" })
                Assert.That((await admin.GetAsync("/admin/campaigns?" + bad)).StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), bad);
        });
    }

    [Test]
    public async Task Create_FieldsWeChatWouldRefuse_Returns400ListingEach()
    {
        var segment = await SegmentOfAsync(await NewMemberAsync(follow: false));
        using var admin = Api.CreateAdminClient();
        await admin.PostAsync("/admin/campaigns/templates/sync", null);
        var response = await admin.PostAsJsonAsync("/admin/campaigns", new
        {
            name = "bad", segmentId = segment, channels = new[] { "template", "subscribe" },
            content = new
            {
                template = new { templateId = OaTemplate, data = new Dictionary<string, string> { ["first"] = "您好", ["thing1"] = new string('积', 21) } },
                subscribe = new { templateId = "sub_order_shipped_0001", data = new Dictionary<string, string> { ["phrase2"] = "shipped", ["thing9"] = "x" } },
            },
        });
        var body = await ReadAsync(response);
        var errors = body.GetProperty("errors").EnumerateArray().Select(e => e.GetString()!).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), body.ToString());
            Assert.That(body.GetProperty("code").GetString(), Is.EqualTo("CAMPAIGN_INVALID"));
            Assert.That(errors, Has.Some.StartsWith("template.first"));
            Assert.That(errors, Has.Some.StartsWith("template.thing1"));
            Assert.That(errors, Has.Some.StartsWith("subscribe.phrase2"));
            Assert.That(errors, Has.Some.StartsWith("subscribe.thing9"), "a field the registered template does not have");
        });
    }

    [Test]
    public async Task Start_AboveApprovalThreshold_WaitsForAnOwnersApproval_ThenSends()
    {
        var a = await NewMemberAsync();
        var b = await NewMemberAsync();
        await using var strict = Api.StartSibling(new Dictionary<string, string?> { ["Campaigns:ApprovalThreshold"] = "1" });
        using var admin = strict.CreateAdminClient();
        await admin.PostAsync("/admin/campaigns/templates/sync", null);
        var created = await ReadAsync(await admin.PostAsJsonAsync("/admin/campaigns",
            new { name = "big", segmentId = await SegmentOfAsync(a, b), channels = new[] { "template" }, content = TemplateContent }));
        var id = created.GetProperty("id").GetInt64();
        var started = await ReadAsync(await admin.PostAsync($"/admin/campaigns/{id}/start", null));

        await using var worker = CampaignsEnvironment.StartWorker();
        await Task.Delay(1_000);
        var sentBeforeApproval = (await DeliveredAsync(a.OaOpenId, "template")).Length + (await DeliveredAsync(b.OaOpenId, "template")).Length;
        // Only an owner approves: a marketer and a manager, who may change campaigns, are refused.
        var refusals = new List<(HttpStatusCode, string?)>();
        foreach (var role in new[] { "marketer", "manager" })
        {
            var token = await ReadAsync(await admin.PostAsJsonAsync("/admin/api-tokens", new { name = "approve " + role, role, expiresInDays = 1 }));
            using var other = strict.CreateClient();
            other.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token.GetProperty("token").GetString());
            var refused = await other.PostAsync($"/admin/campaigns/{id}/approve", null);
            var problem = await ReadAnyAsync(refused);
            refusals.Add((refused.StatusCode, problem.ValueKind == System.Text.Json.JsonValueKind.Object && problem.TryGetProperty("code", out var code) ? code.GetString() : null));
        }
        var statusAfterRefusals = await Api.ScalarAsync<string>("SELECT status FROM campaigns WHERE id = @id", new { id });
        var approved = await admin.PostAsync($"/admin/campaigns/{id}/approve", null);
        var again = await admin.PostAsync($"/admin/campaigns/{id}/approve", null);
        var status = await WaitForStatusAsync(id, "completed");

        Assert.Multiple(async () =>
        {
            Assert.That(started.GetProperty("status").GetString(), Is.EqualTo("awaiting_approval"));
            Assert.That(started.GetProperty("audienceSize").GetInt64(), Is.EqualTo(2));
            Assert.That(sentBeforeApproval, Is.Zero);
            Assert.That(refusals, Is.EqualTo(new[] { (HttpStatusCode.Forbidden, (string?)"PERMISSION_DENIED"), (HttpStatusCode.Forbidden, "PERMISSION_DENIED") }));
            Assert.That(statusAfterRefusals, Is.EqualTo("awaiting_approval"));
            Assert.That(approved.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
            Assert.That(status, Is.EqualTo("completed"));
            Assert.That(await DeliveredAsync(a.OaOpenId, "template"), Has.Length.EqualTo(1));
        });
    }

    [Test]
    public async Task Cancel_ScheduledCampaign_SkipsEveryRecipientAsCancelled()
    {
        var a = await NewMemberAsync();
        using var admin = Api.CreateAdminClient();
        await admin.PostAsync("/admin/campaigns/templates/sync", null);
        var created = await ReadAsync(await admin.PostAsJsonAsync("/admin/campaigns", new
        {
            name = "later", segmentId = await SegmentOfAsync(a), channels = new[] { "template" }, content = TemplateContent,
            sendAt = CampaignsEnvironment.Clock.GetUtcNow().AddDays(1),
        }));
        var id = created.GetProperty("id").GetInt64();
        await admin.PostAsync($"/admin/campaigns/{id}/start", null);
        var cancelled = await admin.PostAsync($"/admin/campaigns/{id}/cancel", null);
        var results = await ResultsAsync(id);

        Assert.Multiple(() =>
        {
            Assert.That(created.GetProperty("sendAtChina").GetString(), Is.Not.Null);
            Assert.That(cancelled.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(results.GetProperty("status").GetString(), Is.EqualTo("cancelled"));
            Assert.That(results.GetProperty("skipped").GetProperty("cancelled").GetInt64(), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task Cancel_RecipientsADeadWorkerLeftSending_EndAsOutcomeUnknownOnceTheirClaimLapses_AndNothingIsSent()
    {
        var (template, customer, live) = (await NewMemberAsync(), await NewMemberAsync(), await NewMemberAsync());
        using var admin = Api.CreateAdminClient();
        await admin.PostAsync("/admin/campaigns/templates/sync", null);
        var created = await ReadAsync(await admin.PostAsJsonAsync("/admin/campaigns", new
        {
            name = "cut short", segmentId = await SegmentOfAsync(template, customer, live), channels = new[] { "template" }, content = TemplateContent,
            sendAt = CampaignsEnvironment.Clock.GetUtcNow().AddDays(1),
        }));
        var id = created.GetProperty("id").GetInt64();
        await admin.PostAsync($"/admin/campaigns/{id}/start", null);
        // A worker took all three to 'sending' and died: two claims have lapsed, the third runs ten more minutes.
        var now = CampaignsEnvironment.Clock.GetUtcNow().UtcDateTime;
        foreach (var (member, channel, until) in new[] { (template, "template", now.AddMinutes(-1)), (customer, "customer", now.AddMinutes(-1)), (live, "template", now.AddMinutes(10)) })
            await Api.ScalarAsync<int>("""
                UPDATE campaign_recipients SET status = 'sending', channel = @channel, claim_token = 'dead-worker', claimed_until = @until
                WHERE campaign_id = @id AND member_id = @m
                """, new { channel, until, id, m = member.MemberId });
        var cancelled = await admin.PostAsync($"/admin/campaigns/{id}/cancel", null);
        await using var worker = CampaignsEnvironment.StartWorker();
        string Status(Person p) => $"(SELECT CONCAT(status, '/', COALESCE(reason, '')) FROM campaign_recipients WHERE campaign_id = {id} AND member_id = {p.MemberId})";
        var lapsed = await Eventually.MatchAsync(() => Api.ScalarAsync<string>($"SELECT CONCAT({Status(template)}, ' ', {Status(customer)}, ' ', {Status(live)})"),
            s => !s.StartsWith("sending", StringComparison.Ordinal), 20_000);
        await Task.Delay(1_500); // more passes
        var liveBeforeItsClaimLapsed = await Api.ScalarAsync<string>($"SELECT {Status(live)}");
        await CampaignsEnvironment.Clock.JumpAsync(TimeSpan.FromMinutes(11));
        var liveAfter = await Eventually.MatchAsync(() => Api.ScalarAsync<string>($"SELECT {Status(live)}"), s => s != "sending/", 20_000);

        Assert.Multiple(async () =>
        {
            Assert.That(cancelled.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(lapsed, Is.EqualTo("failed/outcome_unknown failed/outcome_unknown sending/"));
            Assert.That(liveBeforeItsClaimLapsed, Is.EqualTo("sending/"), "a claim still running belongs to its worker");
            Assert.That(liveAfter, Is.EqualTo("failed/outcome_unknown"));
            foreach (var p in new[] { template, customer, live })
                Assert.That(await DeliveredAsync(p.OaOpenId, "template"), Is.Empty, "a cancelled campaign sends nothing more");
        });
    }

    [Test]
    public async Task TestSend_ToNamedMember_SendsOnce_AndToAnUnfollowedMemberIs422()
    {
        var follower = await NewMemberAsync();
        var stranger = await NewMemberAsync(follow: false);
        using var admin = Api.CreateAdminClient();
        await admin.PostAsync("/admin/campaigns/templates/sync", null);
        var created = await ReadAsync(await admin.PostAsJsonAsync("/admin/campaigns",
            new { name = "try", segmentId = await SegmentOfAsync(follower), channels = new[] { "template" }, content = TemplateContent }));
        var id = created.GetProperty("id").GetInt64();

        var sent = await admin.PostAsJsonAsync($"/admin/campaigns/{id}/test-send", new { memberId = follower.MemberId });
        var refused = await admin.PostAsJsonAsync($"/admin/campaigns/{id}/test-send", new { memberId = stranger.MemberId });
        var refusedBody = await ReadAsync(refused);

        Assert.Multiple(async () =>
        {
            Assert.That(sent.StatusCode, Is.EqualTo(HttpStatusCode.OK), await sent.Content.ReadAsStringAsync());
            Assert.That(await DeliveredAsync(follower.OaOpenId, "template"), Has.Length.EqualTo(1));
            Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
            Assert.That(refusedBody.GetProperty("code").GetString(), Is.EqualTo("CAMPAIGN_TEST_NOT_DELIVERABLE"));
            Assert.That(refusedBody.GetProperty("reason").GetString(), Is.EqualTo("unfollowed"));
        });
    }

    static async Task<System.Text.Json.JsonElement> ReadAnyAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        return string.IsNullOrEmpty(body) ? default : System.Text.Json.JsonDocument.Parse(body).RootElement;
    }
}
