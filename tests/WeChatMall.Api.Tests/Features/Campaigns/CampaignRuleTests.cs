using System.Net;
using System.Net.Http.Json;
using WeChatMall.Api.Tests.TestHost;
using static WeChatMall.Api.Tests.Features.Campaigns.CampaignPeople;

namespace WeChatMall.Api.Tests.Features.Campaigns;

/// <summary>WeChat's channel rules per recipient: credits for subscribe messages, the window for customer-service text, following.</summary>
[NonParallelizable]
public sealed class CampaignRuleTests
{
    static ApiFactory Api => CampaignsEnvironment.Api;
    static SandboxHost Sandbox => CampaignsEnvironment.Sandbox;

    [Test]
    public async Task Campaign_SubscribeThenTextFallback_SkipsByTheRightReason()
    {
        var credited = await NewMemberAsync();
        var talking = await NewMemberAsync();
        var silent = await NewMemberAsync();
        var gone = await NewMemberAsync();
        await GrantCreditAsync(credited);
        await UnfollowAsync(gone);
        // The follow's one-minute window closes; the message's 48-hour window stays open.
        await CampaignsEnvironment.Clock.JumpAsync(TimeSpan.FromMinutes(2));
        await WriteAsync(talking, "hello");

        await using var worker = CampaignsEnvironment.StartWorker();
        var fallback = await StartCampaignAsync(await SegmentOfAsync(credited, talking, silent, gone), ["subscribe", "text"]);
        var subscribeOnly = await StartCampaignAsync(await SegmentOfAsync(talking, silent), ["subscribe"]);
        await WaitForStatusAsync(fallback, "completed");
        await WaitForStatusAsync(subscribeOnly, "completed");
        var results = await ResultsAsync(fallback);
        var onlyResults = await ResultsAsync(subscribeOnly);
        var channels = (await Api.QueryAsync<(long MemberId, string Status, string? Channel, string? Reason)>(
            "SELECT member_id, status, channel, reason FROM campaign_recipients WHERE campaign_id = @fallback ORDER BY member_id", new { fallback }))
            .ToDictionary(r => r.MemberId);

        Assert.Multiple(async () =>
        {
            Assert.That(channels[credited.MemberId], Is.EqualTo((credited.MemberId, "sent", (string?)"subscribe", (string?)null)));
            Assert.That(channels[talking.MemberId], Is.EqualTo((talking.MemberId, "sent", (string?)"text", (string?)null)));
            Assert.That(channels[silent.MemberId], Is.EqualTo((silent.MemberId, "skipped", (string?)null, (string?)"window_closed")));
            Assert.That(channels[gone.MemberId], Is.EqualTo((gone.MemberId, "skipped", (string?)null, (string?)"unfollowed")));
            Assert.That(results.GetProperty("sentByChannel").GetProperty("subscribe").GetInt64(), Is.EqualTo(1));
            Assert.That(results.GetProperty("skipped").GetProperty("window_closed").GetInt64(), Is.EqualTo(1));
            Assert.That(onlyResults.GetProperty("skipped").GetProperty("no_credit").GetInt64(), Is.EqualTo(2));
            Assert.That(await DeliveredAsync(credited.MpOpenId, "subscribe"), Has.Length.EqualTo(1));
            Assert.That(await DeliveredAsync(talking.OaOpenId, "custom"), Has.Length.EqualTo(1));
            Assert.That(await DeliveredAsync(silent.OaOpenId, "custom"), Is.Empty);
            Assert.That(await Api.ScalarAsync<int>("SELECT credits FROM member_subscribe_credits WHERE member_id = @m AND template_id = @t",
                new { m = credited.MemberId, t = SubscribeTemplate }), Is.Zero, "the send spent the credit");
        });
    }

    [Test]
    public async Task SubscribeResults_SameReportTwice_AddsOneCredit_AndPopupEventAddsOne()
    {
        var p = await NewMemberAsync(follow: false);
        var report = new { requestId = "prompt-" + Guid.NewGuid().ToString("N")[..12], results = new Dictionary<string, string> { [SubscribeTemplate] = "accept", ["sub_order_shipped_0001"] = "reject" } };
        var first = await p.Client.PostAsJsonAsync("/api/me/subscribe-results", report);
        var retry = await p.Client.PostAsJsonAsync("/api/me/subscribe-results", report);
        var afterReports = await CreditsAsync(p);
        // The sandbox pushes subscribe_msg_popup_event to the callback, as WeChat does after a prompt.
        var pushed = await Sandbox.Client.PostAsJsonAsync("/sandbox/miniprogram/subscriptions", new { openId = p.MpOpenId, templateIds = new[] { SubscribeTemplate } });
        var afterEvent = await Eventually.MatchAsync(() => CreditsAsync(p), c => c == 2, 15_000);
        var bad = await p.Client.PostAsJsonAsync("/api/me/subscribe-results", new { requestId = "prompt-bad-0001", results = new Dictionary<string, string> { ["x"] = "maybe" } });

        Assert.Multiple(async () =>
        {
            Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.OK), await first.Content.ReadAsStringAsync());
            Assert.That(retry.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(afterReports, Is.EqualTo(1), "a retried report adds nothing");
            Assert.That(pushed.StatusCode, Is.EqualTo(HttpStatusCode.OK), await pushed.Content.ReadAsStringAsync());
            Assert.That(afterEvent, Is.EqualTo(2));
            Assert.That(bad.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        });
    }

    /// <summary>The member accepts a one-time subscription: the sandbox counts it and pushes the popup event to the app.</summary>
    static async Task GrantCreditAsync(Person p)
    {
        var r = await Sandbox.Client.PostAsJsonAsync("/sandbox/miniprogram/subscriptions", new { openId = p.MpOpenId, templateIds = new[] { SubscribeTemplate } });
        Assert.That(r.StatusCode, Is.EqualTo(HttpStatusCode.OK), await r.Content.ReadAsStringAsync());
        Assert.That(await Eventually.MatchAsync(() => CreditsAsync(p), c => c == 1, 15_000), Is.EqualTo(1));
    }

    static Task<int> CreditsAsync(Person p) => Api.ScalarAsync<int>(
        "SELECT COALESCE(MAX(credits), 0) FROM member_subscribe_credits WHERE member_id = @m AND template_id = @t", new { m = p.MemberId, t = SubscribeTemplate });
}
