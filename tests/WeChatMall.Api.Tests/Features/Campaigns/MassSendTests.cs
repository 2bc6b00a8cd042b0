using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using WeChatMall.Api.Tests.TestHost;
using static WeChatMall.Api.Tests.Features.Campaigns.CampaignPeople;

namespace WeChatMall.Api.Tests.Features.Campaigns;

/// <summary>
/// The mass channel (群发) against the sandbox, which plays WeChat's rules: chunks of openids (Campaigns:MassChunkSize
/// is 3 here) sent once across two instances, the 4-per-month cap per China month, MASSSENDJOBFINISH recorded once, a
/// chunk left 'sending' by a crash resent with its clientmsgid and not delivered twice, and no placeholders.
/// </summary>
[NonParallelizable]
public sealed class MassSendTests
{
    static ApiFactory Api => CampaignsEnvironment.Api;
    static RunningClock Clock => CampaignsEnvironment.Clock;

    static async Task<long> StartMassAsync(long segmentId, object mass)
    {
        using var admin = Api.CreateAdminClient();
        var created = await admin.PostAsJsonAsync("/admin/campaigns", new { name = "mass", segmentId, channels = new[] { "mass" }, content = new { mass } });
        var body = await ReadAsync(created);
        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created), body.ToString());
        var id = body.GetProperty("id").GetInt64();
        var started = await admin.PostAsync($"/admin/campaigns/{id}/start", null);
        Assert.That(started.StatusCode, Is.EqualTo(HttpStatusCode.OK), await started.Content.ReadAsStringAsync());
        return id;
    }

    static async Task<List<Person>> FollowersAsync(int n)
    {
        var people = new List<Person>();
        for (var i = 0; i < n; i++) people.Add(await NewMemberAsync());
        return people;
    }

    static Task<string[]> ClientMsgIdsAsync(long id) =>
        Api.QueryAsync<string>("SELECT client_msg_id FROM campaign_mass_jobs WHERE campaign_id = @id ORDER BY id", new { id }).ContinueWith(t => t.Result.ToArray());

    [Test]
    public async Task MassByOpenIds_TwoInstances_EachFollowerReceivesItOnce_AndFinishReportsAreRecorded()
    {
        var gone = await NewMemberAsync(); // 7 recipients in chunks of 3: the last one joins the second chunk (3 + 4)
        await UnfollowAsync(gone);
        var people = await FollowersAsync(6);
        var segment = await SegmentOfAsync([.. people, gone]);
        await FaultAsync(new { route = "/cgi-bin/message/mass/send", count = 2, delayMs = 300 }); // both instances mid-chunk at once

        await using var a = CampaignsEnvironment.StartWorker();
        await using var b = CampaignsEnvironment.StartWorker();
        var id = await StartMassAsync(segment, new { text = "年终会员日：全场满 200 减 30" });
        var status = await WaitForStatusAsync(id, "completed");
        var reported = await Eventually.MatchAsync(async () => (await ResultsAsync(id)).GetProperty("mass").GetProperty("reported").GetInt32(), n => n == 2, 15_000);

        var delivered = new List<int>();
        foreach (var p in people) delivered.Add((await DeliveredAsync(p.OaOpenId, "mass")).Length);
        var calls = (await CampaignsEnvironment.Sandbox.Client.GetFromJsonAsync<JsonElement[]>("/sandbox/calls?route=/cgi-bin/message/mass/send"))!
            .Count(c => c.GetProperty("body").GetString()!.Contains($"\"c{id}k", StringComparison.Ordinal));
        var results = await ResultsAsync(id);
        var mass = results.GetProperty("mass");
        Assert.Multiple(async () =>
        {
            Assert.That(status, Is.EqualTo("completed"));
            Assert.That(delivered, Is.All.EqualTo(1), "every follower received the mass message exactly once");
            Assert.That(calls, Is.EqualTo(2), "two chunks, each called once");
            Assert.That(await ClientMsgIdsAsync(id), Has.All.Match($"^c{id}k[0-9]+$"));
            Assert.That((await DeliveredAsync(gone.OaOpenId, "mass")).Length, Is.Zero);
            Assert.That(results.GetProperty("sent").GetInt64(), Is.EqualTo(6));
            Assert.That(results.GetProperty("skipped").GetProperty("unfollowed").GetInt64(), Is.EqualTo(1));
            Assert.That(reported, Is.EqualTo(2), "MASSSENDJOBFINISH arrived for every job");
            Assert.That(mass.GetProperty("jobs").GetInt32(), Is.EqualTo(2));
            Assert.That(mass.GetProperty("sent").GetInt64(), Is.EqualTo(6), "WeChat's own SentCount, added up");
            Assert.That(mass.GetProperty("errors").GetInt64(), Is.Zero);
        });
    }

    [Test]
    public async Task MassFinishEvent_ReplayedOrRetried_ChangesNothing()
    {
        var people = await FollowersAsync(2);
        var segment = await SegmentOfAsync([.. people]);
        await using var worker = CampaignsEnvironment.StartWorker();
        var id = await StartMassAsync(segment, new { imageMediaId = "sandbox_image_media_01" });
        await WaitForStatusAsync(id, "completed");
        var job = await Eventually.MatchAsync(async () => (await ResultsAsync(id)).GetProperty("mass").GetProperty("jobList")[0],
            j => j.GetProperty("weChatStatus").ValueKind == JsonValueKind.String, 15_000);
        var msgId = job.GetProperty("msgId").GetInt64();

        // WeChat retries the push (same XML), and a later report for the same msg_id says something else: neither counts.
        using var http = Api.CreateClient();
        var now = Clock.GetUtcNow().ToUnixTimeSeconds();
        foreach (var (at, sent) in new[] { (now, 0L), (now, 0L), (now + 5, 0L) })
        {
            var xml = $"<xml><ToUserName><![CDATA[{WeChatTestAccount.OriginalId}]]></ToUserName><FromUserName><![CDATA[o_replay]]></FromUserName>" +
                      $"<CreateTime>{at}</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[MASSSENDJOBFINISH]]></Event>" +
                      $"<MsgID>{msgId}</MsgID><Status><![CDATA[send fail]]></Status><TotalCount>2</TotalCount><FilterCount>0</FilterCount>" +
                      $"<SentCount>{sent}</SentCount><ErrorCount>2</ErrorCount></xml>";
            var r = await http.PostAsync(WeChatTestAccount.PlainUrl("o_replay", at.ToString(CultureInfo.InvariantCulture)), WeChatTestAccount.XmlContent(xml));
            Assert.That(r.StatusCode, Is.EqualTo(HttpStatusCode.OK), await r.Content.ReadAsStringAsync());
        }
        await Api.DrainCallbackEventsAsync();
        var after = (await ResultsAsync(id)).GetProperty("mass");
        Assert.Multiple(async () =>
        {
            Assert.That(job.GetProperty("weChatStatus").GetString(), Is.EqualTo("send success"));
            Assert.That(job.GetProperty("sentCount").GetInt64(), Is.EqualTo(2));
            Assert.That(after.GetProperty("jobList")[0].GetProperty("weChatStatus").GetString(), Is.EqualTo("send success"), "the first report stays");
            Assert.That(after.GetProperty("sent").GetInt64(), Is.EqualTo(2));
            Assert.That(after.GetProperty("errors").GetInt64(), Is.Zero);
            Assert.That(await Api.ScalarAsync<long>("SELECT COUNT(*) FROM campaign_mass_results WHERE msg_id = @msgId", new { msgId }), Is.EqualTo(1));
            Assert.That((await DeliveredAsync(people[0].OaOpenId, "mass"))[0].GetProperty("msgType").GetString(), Is.EqualTo("image"));
        });
    }

    [Test]
    public async Task MassJob_LeftSendingByACrash_IsResentWithItsClientMsgId_AndNotDeliveredTwice()
    {
        var people = await FollowersAsync(2);
        var segment = await SegmentOfAsync([.. people]);
        long id;
        await using (var first = CampaignsEnvironment.StartWorker())
        {
            id = await StartMassAsync(segment, new { text = "新品上架" });
            await WaitForStatusAsync(id, "completed");
        }
        // WeChat's report of the job arrived (recorded by msg_id) before the crash below loses the job's msg_id.
        var taken = await Eventually.MatchAsync(async () => (await ResultsAsync(id)).GetProperty("mass").GetProperty("jobList")[0],
            j => j.GetProperty("weChatStatus").ValueKind == JsonValueKind.String, 15_000);
        var takenMsgId = taken.GetProperty("msgId").GetInt64();
        // The state a worker leaves when it dies after WeChat took the call and before it recorded the answer.
        await Api.ScalarAsync<long?>("""
            UPDATE campaign_mass_jobs SET status = 'sending', msg_id = NULL, lease_until = @past WHERE campaign_id = @id;
            UPDATE campaign_recipients SET status = 'sending', sent_at = NULL, wechat_msg_id = NULL WHERE campaign_id = @id;
            UPDATE campaigns SET status = 'running', finished_at = NULL WHERE id = @id;
            """, new { id, past = Clock.GetUtcNow().UtcDateTime.AddMinutes(-1) });

        await using var second = CampaignsEnvironment.StartWorker();
        var status = await WaitForStatusAsync(id, "completed");
        var clientMsgId = (await ClientMsgIdsAsync(id)).Single();
        var calls = (await CampaignsEnvironment.Sandbox.Client.GetFromJsonAsync<JsonElement[]>("/sandbox/calls?route=/cgi-bin/message/mass/send"))!
            .Where(c => c.GetProperty("body").GetString()!.Contains($"\"{clientMsgId}\"", StringComparison.Ordinal)).ToList();
        var delivered = new List<int>();
        foreach (var p in people) delivered.Add((await DeliveredAsync(p.OaOpenId, "mass")).Length);
        Assert.Multiple(async () =>
        {
            Assert.That(status, Is.EqualTo("completed"));
            Assert.That(calls, Has.Count.EqualTo(2), "the chunk was called again after the crash, with the same clientmsgid");
            Assert.That(delivered, Is.All.EqualTo(1), "WeChat answered 45065: nobody received it twice");
            Assert.That(await Api.ScalarAsync<string>("SELECT status FROM campaign_mass_jobs WHERE campaign_id = @id", new { id }), Is.EqualTo("submitted"));
            Assert.That(await Api.ScalarAsync<long?>("SELECT msg_id FROM campaign_mass_jobs WHERE campaign_id = @id", new { id }), Is.EqualTo(takenMsgId),
                "WeChat's 45065 names the job it took: the resent job records that msg_id");
            var mass = (await ResultsAsync(id)).GetProperty("mass");
            Assert.That(mass.GetProperty("reported").GetInt64(), Is.EqualTo(1), "the earlier MASSSENDJOBFINISH is matched to the resent job");
            Assert.That(mass.GetProperty("jobList")[0].GetProperty("weChatStatus").GetString(), Is.EqualTo("send success"));
            Assert.That(mass.GetProperty("sent").GetInt64(), Is.EqualTo(2));
            Assert.That(await Api.ScalarAsync<long>("SELECT COUNT(*) FROM campaign_recipients WHERE campaign_id = @id AND status = 'sent'", new { id }), Is.EqualTo(2));
            Assert.That(await Api.ScalarAsync<long>("SELECT sent FROM mass_monthly_counts WHERE openid = @o ORDER BY month DESC LIMIT 1", new { o = people[0].OaOpenId }),
                Is.EqualTo(1), "counted once for the month");
        });
    }

    [Test]
    public async Task MassByTag_SyncedAudienceTag_SandboxDeliversToExactlyItsFollowers_AndTheFinishReportShows()
    {
        var tagged = await FollowersAsync(2);
        var untagged = await NewMemberAsync(); // in the segment, not under the tag: sendall cannot reach them
        var outsider = await NewMemberAsync(); // a follower outside both
        using var admin = Api.CreateAdminClient();
        var tag = await ReadAsync(await admin.PostAsJsonAsync("/admin/tags", new { name = "mass-" + Guid.NewGuid().ToString("N")[..10] }));
        var tagId = tag.GetProperty("id").GetInt64();
        foreach (var p in tagged)
        {
            var put = await admin.PostAsJsonAsync($"/admin/members/{p.MemberId}/tags", new { tagId });
            Assert.That((int)put.StatusCode, Is.LessThan(300), await put.Content.ReadAsStringAsync());
        }
        var sync = await admin.PostAsync($"/admin/tags/{tagId}/wechat-sync", null);
        var synced = await ReadAsync(sync);
        Assert.That(sync.StatusCode, Is.EqualTo(HttpStatusCode.OK), synced.ToString());
        var segment = await SegmentOfAsync([.. tagged, untagged]);

        await using var worker = CampaignsEnvironment.StartWorker();
        var id = await StartMassAsync(segment, new { text = "会员专享：周末双倍积分", tagId });
        var status = await WaitForStatusAsync(id, "completed");
        var mass = await Eventually.MatchAsync(async () => (await ResultsAsync(id)).GetProperty("mass"), m => m.GetProperty("reported").GetInt64() == 1, 15_000);
        var results = await ResultsAsync(id);
        var calls = (await CampaignsEnvironment.Sandbox.Client.GetFromJsonAsync<JsonElement[]>("/sandbox/calls?route=/cgi-bin/message/mass/sendall"))!
            .Where(c => c.GetProperty("body").GetString()!.Contains($"\"c{id}k", StringComparison.Ordinal)).ToList();
        var job = mass.GetProperty("jobList")[0];
        var delivered = new List<int>();
        foreach (var p in tagged) delivered.Add((await DeliveredAsync(p.OaOpenId, "mass")).Length);

        Assert.Multiple(async () =>
        {
            Assert.That(status, Is.EqualTo("completed"));
            Assert.That(synced.GetProperty("tagged").GetInt32(), Is.EqualTo(2));
            Assert.That(calls, Has.Count.EqualTo(1), "one sendall for the whole tag");
            Assert.That(calls[0].GetProperty("body").GetString(), Does.Contain($"\"tag_id\":{synced.GetProperty("weChatTagId").GetInt64()}"));
            Assert.That(delivered, Is.All.EqualTo(1), "each follower under the tag received it once");
            Assert.That(await DeliveredAsync(untagged.OaOpenId, "mass"), Is.Empty);
            Assert.That(await DeliveredAsync(outsider.OaOpenId, "mass"), Is.Empty);
            Assert.That(results.GetProperty("sent").GetInt64(), Is.EqualTo(2));
            Assert.That(results.GetProperty("skipped").GetProperty("not_in_tag").GetInt64(), Is.EqualTo(1));
            Assert.That(mass.GetProperty("jobs").GetInt32(), Is.EqualTo(1));
            Assert.That(job.GetProperty("tagId").GetInt64(), Is.EqualTo(synced.GetProperty("weChatTagId").GetInt64()));
            Assert.That(job.GetProperty("weChatStatus").GetString(), Is.EqualTo("send success"));
            Assert.That(job.GetProperty("totalCount").GetInt64(), Is.EqualTo(2), "WeChat's TotalCount: the tag's followers");
            Assert.That(mass.GetProperty("sent").GetInt64(), Is.EqualTo(2), "WeChat's SentCount");
            Assert.That(mass.GetProperty("errors").GetInt64(), Is.Zero);
        });
    }

    [Test]
    public async Task MassCampaign_TestSend_GoesByPreview_NotCountedForTheMonth_AndAnUnfollowedMemberIs422()
    {
        var follower = await NewMemberAsync();
        var gone = await NewMemberAsync();
        await UnfollowAsync(gone);
        var segment = await SegmentOfAsync(follower, gone);
        using var admin = Api.CreateAdminClient();
        var created = await ReadAsync(await admin.PostAsJsonAsync("/admin/campaigns",
            new { name = "mass preview", segmentId = segment, channels = new[] { "mass" }, content = new { mass = new { text = "预览：年终会员日" } } }));
        var id = created.GetProperty("id").GetInt64();

        var sent = await admin.PostAsJsonAsync($"/admin/campaigns/{id}/test-send", new { memberId = follower.MemberId });
        var sentBody = await ReadAsync(sent);
        var refused = await admin.PostAsJsonAsync($"/admin/campaigns/{id}/test-send", new { memberId = gone.MemberId });
        var refusedBody = await ReadAsync(refused);
        var previews = await DeliveredAsync(follower.OaOpenId, "mass_preview");
        var calls = (await CampaignsEnvironment.Sandbox.Client.GetFromJsonAsync<JsonElement[]>("/sandbox/calls?route=/cgi-bin/message/mass/preview"))!
            .Where(c => c.GetProperty("body").GetString()!.Contains(follower.OaOpenId, StringComparison.Ordinal)).ToList();

        Assert.Multiple(async () =>
        {
            Assert.That(sent.StatusCode, Is.EqualTo(HttpStatusCode.OK), sentBody.ToString());
            Assert.That(sentBody.GetProperty("channel").GetString(), Is.EqualTo("mass"));
            Assert.That(sentBody.GetProperty("weChatMsgId").GetInt64(), Is.GreaterThan(0));
            Assert.That(calls, Has.Count.EqualTo(1), "message/mass/preview, touser = the member's OA openid");
            Assert.That(calls[0].GetProperty("body").GetString(), Does.Contain($"\"touser\":\"{follower.OaOpenId}\""));
            Assert.That(previews, Has.Length.EqualTo(1));
            Assert.That(previews[0].GetProperty("content").GetString(), Is.EqualTo("预览：年终会员日"));
            Assert.That(await DeliveredAsync(follower.OaOpenId, "mass"), Is.Empty, "a preview is not a mass send");
            Assert.That(await Api.ScalarAsync<long>("SELECT COALESCE(SUM(sent), 0) FROM mass_monthly_counts WHERE openid = @o", new { o = follower.OaOpenId }),
                Is.Zero, "a preview does not use up one of the month's four");
            Assert.That(await Api.ScalarAsync<long>("SELECT COUNT(*) FROM campaign_mass_jobs WHERE campaign_id = @id", new { id }), Is.Zero);
            Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
            Assert.That(refusedBody.GetProperty("code").GetString(), Is.EqualTo("CAMPAIGN_TEST_NOT_DELIVERABLE"));
            Assert.That(refusedBody.GetProperty("reason").GetString(), Is.EqualTo("unfollowed"));
        });
    }

    [Test]
    public async Task MassCancel_JobLeftToBeCalledAgain_ItsRecipientsEndAsOutcomeUnknown_NeverStaySending()
    {
        var people = await FollowersAsync(2);
        var segment = await SegmentOfAsync([.. people]);
        // The call is in flight at the cancel, then fails the transient way (HTTP 503): the job would be called again later.
        await FaultAsync(new { route = "/cgi-bin/message/mass/send", count = 1, httpStatus = 503, delayMs = 2_000 });
        await using var worker = CampaignsEnvironment.StartWorker();
        var id = await StartMassAsync(segment, new { text = "限时秒杀" });
        await Eventually.MatchAsync(() => Api.ScalarAsync<long>("SELECT COUNT(*) FROM campaign_mass_jobs WHERE campaign_id = @id AND status = 'sending'", new { id }),
            n => n == 1, 15_000);
        var cancelled = await ActAsync(id, "cancel");
        await Task.Delay(2_500); // the 503 arrives
        await Clock.JumpAsync(TimeSpan.FromMinutes(10)); // long past the job's retry time and lease
        await Task.Delay(1_500);

        var statuses = await Api.QueryAsync<string>("SELECT CONCAT(status, '/', COALESCE(reason, '')) FROM campaign_recipients WHERE campaign_id = @id", new { id });
        var results = await ResultsAsync(id);
        Assert.Multiple(async () =>
        {
            Assert.That(cancelled.GetProperty("status").GetString(), Is.EqualTo("cancelled"));
            Assert.That(statuses, Is.All.EqualTo("failed/outcome_unknown"), "WeChat may have taken the call: not 'sending' forever, not sent again");
            Assert.That(await Api.ScalarAsync<string>("SELECT status FROM campaign_mass_jobs WHERE campaign_id = @id", new { id }), Is.EqualTo("cancelled"));
            Assert.That(await CallsToAsync("/cgi-bin/message/mass/send", people[0].OaOpenId), Is.EqualTo(1), "not called again after the cancel");
            Assert.That(results.GetProperty("failed").GetProperty("outcome_unknown").GetInt64(), Is.EqualTo(2));
        });
    }

    [Test]
    public async Task MassCancel_DuringTheCall_TheAnswerStillEndsTheJob_AndItsFinishReportIsMatched()
    {
        var people = await FollowersAsync(2);
        var segment = await SegmentOfAsync([.. people]);
        await FaultAsync(new { route = "/cgi-bin/message/mass/send", count = 1, delayMs = 2_500 }); // the call is in flight at the cancel
        await using var worker = CampaignsEnvironment.StartWorker();
        var id = await StartMassAsync(segment, new { text = "周末特卖" });
        await Eventually.MatchAsync(() => Api.ScalarAsync<long>("SELECT COUNT(*) FROM campaign_mass_jobs WHERE campaign_id = @id AND status = 'sending'", new { id }),
            n => n == 1, 15_000);
        await ActAsync(id, "cancel");
        var atCancel = await Api.QueryAsync<string>("SELECT CONCAT(status, '/', COALESCE(reason, '')) FROM campaign_recipients WHERE campaign_id = @id", new { id });

        var mass = await Eventually.MatchAsync(async () => (await ResultsAsync(id)).GetProperty("mass"), m => m.GetProperty("reported").GetInt64() == 1, 15_000);
        var statuses = await Api.QueryAsync<string>("SELECT status FROM campaign_recipients WHERE campaign_id = @id", new { id });
        Assert.Multiple(async () =>
        {
            Assert.That(atCancel, Is.All.EqualTo("failed/outcome_unknown"), "at the cancel nobody knows yet whether WeChat took it");
            Assert.That(statuses, Is.All.EqualTo("sent"), "WeChat's answer arrived after the cancel: it took the job");
            Assert.That(await Api.ScalarAsync<string>("SELECT status FROM campaign_mass_jobs WHERE campaign_id = @id", new { id }), Is.EqualTo("submitted"));
            Assert.That(mass.GetProperty("jobList")[0].GetProperty("weChatStatus").GetString(), Is.EqualTo("send success"));
            Assert.That(mass.GetProperty("sent").GetInt64(), Is.EqualTo(2));
            foreach (var p in people) Assert.That(await DeliveredAsync(p.OaOpenId, "mass"), Has.Length.EqualTo(1));
        });
    }

    [Test]
    public async Task MassCreate_Placeholders_400_AndMassIsNotAFallback()
    {
        var segment = await SegmentOfAsync(await NewMemberAsync());
        using var admin = Api.CreateAdminClient();
        var personal = await admin.PostAsJsonAsync("/admin/campaigns",
            new { name = "mass", segmentId = segment, channels = new[] { "mass" }, content = new { mass = new { text = "{nickname}，您有 {points} 积分" } } });
        var combined = await admin.PostAsJsonAsync("/admin/campaigns",
            new { name = "mass", segmentId = segment, channels = new[] { "text", "mass" }, content = new { text = "hi", mass = new { text = "hi" } } });
        var unsynced = await admin.PostAsJsonAsync("/admin/campaigns",
            new { name = "mass", segmentId = segment, channels = new[] { "mass" }, content = new { mass = new { text = "hi", tagId = 987_654_321 } } });
        var personalBody = await ReadAsync(personal);
        Assert.Multiple(async () =>
        {
            Assert.That(personal.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(personalBody.GetProperty("code").GetString(), Is.EqualTo("CAMPAIGN_MASS_PERSONALISED"));
            Assert.That(personalBody.GetProperty("title").GetString(), Does.Contain("{nickname}").And.Contain("{points}"));
            Assert.That(combined.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That((await ReadAsync(combined)).GetProperty("code").GetString(), Is.EqualTo("CAMPAIGN_INVALID"));
            Assert.That(unsynced.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
            Assert.That((await ReadAsync(unsynced)).GetProperty("code").GetString(), Is.EqualTo("CAMPAIGN_MASS_TAG_NOT_SYNCED"));
        });
    }

    [Test] // runs last of this class (by name): it moves the shared clock into the next China month
    public async Task MassMonthlyCap_FollowerAtFourSkipped_CountedPerChinaMonth()
    {
        var people = await FollowersAsync(3);
        var capped = people[2];
        var segment = await SegmentOfAsync([.. people]);
        var month = MonthOf(Clock.GetUtcNow());
        // The follower already had WeChat's four mass messages this China month.
        await Api.ScalarAsync<long?>("INSERT INTO mass_monthly_counts (openid, month, sent) VALUES (@o, @month, 4)", new { o = capped.OaOpenId, month });

        await using var worker = CampaignsEnvironment.StartWorker();
        var first = await StartMassAsync(segment, new { text = "十二月会员日" });
        await WaitForStatusAsync(first, "completed");
        var firstResults = await ResultsAsync(first);
        var cappedBefore = (await DeliveredAsync(capped.OaOpenId, "mass")).Length;

        // To 00:00:30 of the 1st of the next month, China time.
        var china = Clock.GetUtcNow().ToOffset(TimeSpan.FromHours(8));
        var nextMonth = new DateTimeOffset(china.Year, china.Month, 1, 0, 0, 30, TimeSpan.FromHours(8)).AddMonths(1);
        await Clock.JumpAsync(nextMonth - Clock.GetUtcNow());
        var second = await StartMassAsync(segment, new { text = "一月会员日" });
        await WaitForStatusAsync(second, "completed");
        var secondResults = await ResultsAsync(second);

        Assert.Multiple(async () =>
        {
            Assert.That(firstResults.GetProperty("sent").GetInt64(), Is.EqualTo(2));
            Assert.That(firstResults.GetProperty("skipped").GetProperty("monthly_cap").GetInt64(), Is.EqualTo(1));
            Assert.That(await Api.ScalarAsync<string>("SELECT reason FROM campaign_recipients WHERE campaign_id = @first AND member_id = @m",
                new { first, m = capped.MemberId }), Is.EqualTo("monthly_cap"));
            Assert.That(cappedBefore, Is.Zero, "the capped follower was not sent to");
            Assert.That(secondResults.GetProperty("sent").GetInt64(), Is.EqualTo(3), "a new China month: the cap starts again");
            Assert.That((await DeliveredAsync(capped.OaOpenId, "mass")).Length, Is.EqualTo(1));
            Assert.That(await Api.ScalarAsync<int>("SELECT sent FROM mass_monthly_counts WHERE openid = @o AND month = @month", new { o = capped.OaOpenId, month }),
                Is.EqualTo(4), "last month's count is left as it was");
            Assert.That(await Api.ScalarAsync<int>("SELECT sent FROM mass_monthly_counts WHERE openid = @o AND month = @m2",
                new { o = capped.OaOpenId, m2 = MonthOf(nextMonth) }), Is.EqualTo(1));
            Assert.That(await Api.ScalarAsync<int>("SELECT sent FROM mass_monthly_counts WHERE openid = @o AND month = @month",
                new { o = people[0].OaOpenId, month }), Is.EqualTo(1));
        });
    }

    static string MonthOf(DateTimeOffset t) => t.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM", CultureInfo.InvariantCulture);
}
