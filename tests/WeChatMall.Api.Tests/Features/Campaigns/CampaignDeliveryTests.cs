using WeChatMall.Api.Tests.TestHost;
using static WeChatMall.Api.Tests.Features.Campaigns.CampaignPeople;

namespace WeChatMall.Api.Tests.Features.Campaigns;

/// <summary>
/// The delivery engine against the sandbox: exactly once across instances and across a dead worker, and the 45009
/// park until WeChat's quota resets at 00:00 China time. Non-parallel: each test decides which workers run.
/// </summary>
[NonParallelizable]
public sealed class CampaignDeliveryTests
{
    static ApiFactory Api => CampaignsEnvironment.Api;

    [Test]
    public async Task Campaign_TwoInstances_SendEveryRecipientExactlyOnce()
    {
        var people = new List<Person>();
        for (var i = 0; i < 12; i++) people.Add(await NewMemberAsync());
        var segment = await SegmentOfAsync([.. people]);
        // Slow WeChat, so both instances are mid-batch at the same time.
        await FaultAsync(new { route = "/cgi-bin/message/template/send", count = 12, delayMs = 150 });

        await using var a = CampaignsEnvironment.StartWorker();
        await using var b = CampaignsEnvironment.StartWorker();
        var id = await StartCampaignAsync(segment, ["template"]);
        var status = await WaitForStatusAsync(id, "completed");

        var delivered = new List<int>();
        var calls = new List<int>();
        foreach (var p in people)
        {
            delivered.Add((await DeliveredAsync(p.OaOpenId, "template")).Length);
            calls.Add(await CallsToAsync("/cgi-bin/message/template/send", p.OaOpenId));
        }
        var results = await ResultsAsync(id);
        Assert.Multiple(async () =>
        {
            Assert.That(status, Is.EqualTo("completed"));
            Assert.That(delivered, Is.All.EqualTo(1), "every recipient received the message exactly once");
            Assert.That(calls, Is.All.EqualTo(1), "and was sent once: not two instances each relying on WeChat's de-duplication");
            Assert.That(results.GetProperty("targeted").GetInt64(), Is.EqualTo(12));
            Assert.That(results.GetProperty("sent").GetInt64(), Is.EqualTo(12));
            Assert.That(await Api.ScalarAsync<long>("SELECT COUNT(*) FROM campaign_recipients WHERE campaign_id = @id AND status = 'sent' AND wechat_msg_id IS NOT NULL",
                new { id }), Is.EqualTo(12));
        });
    }

    [Test]
    public async Task Campaign_BatchSlowerThanItsClaim_RenewsTheClaim_NotTakenOverBySecondInstance()
    {
        // One batch (BatchSize 4, Parallelism 2) whose sends take 2.5 s each at WeChat: about 5 s of work under a 3 s
        // claim (Campaigns:ClaimSeconds). Without renewal the other instance would recover the lapsed 'sending' rows
        // and send them a second time.
        var people = new List<Person>();
        for (var i = 0; i < 4; i++) people.Add(await NewMemberAsync());
        var segment = await SegmentOfAsync([.. people]);
        await FaultAsync(new { route = "/cgi-bin/message/template/send", count = 4, delayMs = 2_500 });

        await using var a = CampaignsEnvironment.StartWorker();
        await using var b = CampaignsEnvironment.StartWorker();
        var id = await StartCampaignAsync(segment, ["template"]);
        var status = await WaitForStatusAsync(id, "completed", 60_000);

        var calls = new List<int>();
        foreach (var p in people) calls.Add(await CallsToAsync("/cgi-bin/message/template/send", p.OaOpenId));
        Assert.Multiple(async () =>
        {
            Assert.That(status, Is.EqualTo("completed"));
            Assert.That(calls, Is.All.EqualTo(1), "the slow batch kept its claim: nobody else sent its recipients again");
            Assert.That(await Api.ScalarAsync<long>("SELECT COUNT(*) FROM campaign_recipients WHERE campaign_id = @id AND status = 'sent' AND attempts = 1",
                new { id }), Is.EqualTo(4));
        });
    }

    [Test]
    public async Task Campaign_WorkerKilledMidway_RestartedWorkerFinishesWithoutDuplicateOrGap()
    {
        var people = new List<Person>();
        for (var i = 0; i < 10; i++) people.Add(await NewMemberAsync());
        var segment = await SegmentOfAsync([.. people]);
        await FaultAsync(new { route = "/cgi-bin/message/template/send", count = 10, delayMs = 700 });

        var first = CampaignsEnvironment.StartWorker();
        var id = await StartCampaignAsync(segment, ["template"]);
        var sentBeforeKill = await Eventually.MatchAsync(() => Api.ScalarAsync<long>(
            "SELECT COUNT(*) FROM campaign_recipients WHERE campaign_id = @id AND status = 'sent'", new { id }), n => n >= 2, 30_000);
        await first.DisposeAsync(); // mid-batch: recipients are left claimed and sending
        var leftOpen = await Api.ScalarAsync<long>("SELECT COUNT(*) FROM campaign_recipients WHERE campaign_id = @id AND status <> 'sent'", new { id });

        await using var second = CampaignsEnvironment.StartWorker();
        var status = await WaitForStatusAsync(id, "completed", 60_000);

        var delivered = new List<int>();
        foreach (var p in people) delivered.Add((await DeliveredAsync(p.OaOpenId, "template")).Length);
        Assert.Multiple(() =>
        {
            Assert.That(sentBeforeKill, Is.GreaterThanOrEqualTo(2));
            Assert.That(leftOpen, Is.GreaterThan(0), "the worker died before the campaign was done");
            Assert.That(status, Is.EqualTo("completed"));
            Assert.That(delivered, Is.All.EqualTo(1), "no duplicate and no gap");
        });
    }

    [Test]
    public async Task Campaign_WeChatAnswers45009_ParksUntilChinaMidnightThenResumes()
    {
        var people = new List<Person>();
        for (var i = 0; i < 3; i++) people.Add(await NewMemberAsync());
        var segment = await SegmentOfAsync([.. people]);
        await FaultAsync(new { route = "/cgi-bin/message/template/send", count = 1, errcode = 45009 });

        await using var worker = CampaignsEnvironment.StartWorker();
        var id = await StartCampaignAsync(segment, ["template"]);
        var parked = await WaitForStatusAsync(id, "parked");
        var now = CampaignsEnvironment.Clock.GetUtcNow().UtcDateTime;
        var until = await Api.ScalarAsync<DateTime>("SELECT parked_until FROM campaigns WHERE id = @id", new { id });
        var chinaMidnight = (now + TimeSpan.FromHours(8)).Date.AddDays(1) - TimeSpan.FromHours(8);
        var sentWhileParked = await Api.ScalarAsync<long>("SELECT COUNT(*) FROM campaign_recipients WHERE campaign_id = @id AND status = 'sent'", new { id });
        var failedWhileParked = await Api.ScalarAsync<long>("SELECT COUNT(*) FROM campaign_recipients WHERE campaign_id = @id AND status = 'failed'", new { id });
        await Task.Delay(1_000); // a parked campaign stays parked while its time has not come
        var stillParked = await Api.ScalarAsync<string>("SELECT status FROM campaigns WHERE id = @id", new { id });

        await CampaignsEnvironment.Clock.JumpAsync(until - now + TimeSpan.FromSeconds(1));
        var status = await WaitForStatusAsync(id, "completed");

        var delivered = new List<int>();
        foreach (var p in people) delivered.Add((await DeliveredAsync(p.OaOpenId, "template")).Length);
        Assert.Multiple(() =>
        {
            Assert.That(parked, Is.EqualTo("parked"));
            Assert.That(until, Is.EqualTo(chinaMidnight), "WeChat's daily quota resets at 00:00 China time");
            Assert.That(failedWhileParked, Is.Zero, "the refused recipient is kept for later, not failed");
            Assert.That(sentWhileParked, Is.LessThan(3), "sending stopped at the 45009");
            Assert.That(stillParked, Is.EqualTo("parked"));
            Assert.That(status, Is.EqualTo("completed"));
            Assert.That(delivered, Is.All.EqualTo(1));
        });
    }
}
