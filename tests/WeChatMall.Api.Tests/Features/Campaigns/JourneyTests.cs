using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using WeChatMall.Api.Tests.Features.Offers;
using WeChatMall.Api.Tests.TestHost;
using static WeChatMall.Api.Tests.Features.Campaigns.CampaignPeople;

namespace WeChatMall.Api.Tests.Features.Campaigns;

/// <summary>
/// Journeys against the sandbox, with the shared fake clock: the timed step fires on its day and once, the goal takes
/// buyers out, two workers never pass a step twice, pause holds members and resume carries on, bad definitions are
/// refused with a code naming the problem. Each test archives its journey, so no other test's members enter it.
/// </summary>
[NonParallelizable]
public sealed class JourneyTests
{
    static ApiFactory Api => CampaignsEnvironment.Api;
    static RunningClock Clock => CampaignsEnvironment.Clock;

    static object SendTemplate => new { type = "send", channels = new[] { "template" }, content = TemplateContent };

    [Test]
    public async Task Journey_SevenDaysAfterFirstOrder_FiresOnDaySevenOncePerMember_AndNotForOneWhoBoughtAgain()
    {
        var once = await NewMemberAsync();
        var again = await NewMemberAsync();
        var sku = await NewSkuAsync(1_000);
        var id = await CreateAsync(new
        {
            name = "7 days after the first order",
            trigger = new { type = "first_order_paid" },
            goal = new { type = "bought" },
            steps = new object[] { new { type = "wait", days = 7 }, SendTemplate },
        });
        try
        {
            await MoveAsync(id, "activate");
            await using var worker = CampaignsEnvironment.StartWorker(journeys: true);
            await BuyAsync(once, sku);
            await BuyAsync(again, sku);
            await WaitForMembersAsync(id, "state = 'active'", 2);
            await Clock.JumpAsync(TimeSpan.FromHours(1));
            await BuyAsync(again, sku); // bought again: the goal is reached, the member leaves
            var exited = await WaitForMembersAsync(id, "state = 'exited_goal'", 1);

            await Clock.JumpAsync(TimeSpan.FromDays(6) + TimeSpan.FromHours(22)); // day 6, 23 h after the first order
            await Task.Delay(1_500);
            var beforeDay7 = (await DeliveredAsync(once.OaOpenId, "template")).Length;
            var waitingOnDay6 = await Api.ScalarAsync<long>(
                "SELECT COUNT(*) FROM journey_members WHERE journey_id = @id AND member_id = @m AND state = 'active' AND step = 0", new { id, m = once.MemberId });

            await Clock.JumpAsync(TimeSpan.FromHours(1) + TimeSpan.FromMinutes(1)); // day 7
            var delivered = await Eventually.MatchAsync(async () => (await DeliveredAsync(once.OaOpenId, "template")).Length, n => n >= 1, 20_000);
            await Task.Delay(1_500); // more passes of both workers change nothing
            var deliveredLater = (await DeliveredAsync(once.OaOpenId, "template")).Length;
            var toBuyer = (await DeliveredAsync(again.OaOpenId, "template")).Length;
            var passes = await Api.ScalarAsync<long>("SELECT COUNT(*) FROM journey_step_passes WHERE journey_id = @id AND member_id = @m", new { id, m = once.MemberId });
            var detail = await DetailAsync(id);
            var send = detail.GetProperty("versions")[0].GetProperty("steps")[1];

            Assert.Multiple(() =>
            {
                Assert.That(exited, Is.EqualTo(1));
                Assert.That(waitingOnDay6, Is.EqualTo(1), "still waiting on day 6");
                Assert.That(beforeDay7, Is.Zero, "nothing before day 7");
                Assert.That(delivered, Is.EqualTo(1));
                Assert.That(deliveredLater, Is.EqualTo(1), "once");
                Assert.That(toBuyer, Is.Zero, "the member who bought again left the journey before day 7");
                Assert.That(passes, Is.EqualTo(2), "the wait and the send, once each");
                Assert.That(detail.GetProperty("entered").GetInt64(), Is.EqualTo(2));
                Assert.That(detail.GetProperty("members").GetProperty("exited_goal").GetInt64(), Is.EqualTo(1));
                Assert.That(detail.GetProperty("members").GetProperty("completed").GetInt64(), Is.EqualTo(1));
                Assert.That(send.GetProperty("passed").GetInt64(), Is.EqualTo(1));
                Assert.That(send.GetProperty("send").GetProperty("sent").GetInt64(), Is.EqualTo(1));
            });
        }
        finally
        {
            await MoveAsync(id, "archive");
        }
    }

    [Test]
    public async Task Journey_APaymentInTheSecondOfTheActivation_Enrols_ThoughWeChatPayStampsItToTheSecond()
    {
        var buyer = await NewMemberAsync();
        var sku = await NewSkuAsync(1_000);
        var id = await CreateAsync(new
        {
            name = "paid in the second of the activation",
            trigger = new { type = "first_order_paid" },
            steps = new object[] { new { type = "wait", days = 30 } },
        });
        try
        {
            await MoveAsync(id, "activate");
            await BuyAsync(buyer, sku);
            var paidAt = await Eventually.MatchAsync(
                () => Api.ScalarAsync<DateTime?>("SELECT first_paid_at FROM member_stats WHERE member_id = @m", new { m = buyer.MemberId }), t => t is not null, 20_000);
            // The activation 700 ms into the payment's second: the order was paid after it, WeChat Pay's stamp reads earlier.
            await Api.ScalarAsync<int>("UPDATE journeys SET activated_at = @t WHERE id = @id", new { t = paidAt!.Value.AddMilliseconds(700), id });
            await using var worker = CampaignsEnvironment.StartWorker(journeys: true);

            var entered = await WaitForMembersAsync(id, "member_id = " + buyer.MemberId, 1);

            Assert.That(entered, Is.EqualTo(1));
        }
        finally
        {
            await MoveAsync(id, "archive");
        }
    }

    [Test]
    public async Task Journey_EachPassReadsTheTriggerOnlyFromWhereTheLastStopped_LessTheOverlap_AndAnEditStartsOver()
    {
        var (lateInside, lateOutside, buyer) = (await NewMemberAsync(), await NewMemberAsync(), await NewMemberAsync());
        var sku = await NewSkuAsync(1_000);
        await BuyAsync(lateInside, sku); // before the activation: they have member stats, and enter nothing
        await BuyAsync(lateOutside, sku);
        await Clock.JumpAsync(TimeSpan.FromSeconds(1)); // payments are stamped to the second: one in the activation's second counts as after it
        var id = await CreateAsync(new
        {
            name = "read from the watermark",
            trigger = new { type = "order_paid" },
            steps = new object[] { new { type = "wait", days = 30 } },
        });
        try
        {
            await MoveAsync(id, "activate");
            await Clock.JumpAsync(TimeSpan.FromHours(1)); // the activation lies an hour back
            var worker = CampaignsEnvironment.StartWorker(journeys: true);
            await BuyAsync(buyer, sku);
            await WaitForMembersAsync(id, "TRUE", 1);
            var through = await Eventually.MatchAsync(
                () => Api.ScalarAsync<DateTime?>("SELECT enrolled_through FROM journeys WHERE id = @id", new { id }), t => t is not null, 20_000);

            // Two payments that surface late, stamped before the last pass: one inside the overlap (Journeys:EnrolOverlapSeconds,
            // 300 s), one before it. Both are after the activation, so reading from the activation each pass would take both.
            var overlap = TimeSpan.FromSeconds(300);
            await Api.ScalarAsync<int>("UPDATE member_stats SET last_paid_at = @t WHERE member_id = @m",
                new { t = through!.Value - overlap + TimeSpan.FromMinutes(1), m = lateInside.MemberId });
            await Api.ScalarAsync<int>("UPDATE member_stats SET last_paid_at = @t WHERE member_id = @m",
                new { t = through.Value - overlap - TimeSpan.FromMinutes(1), m = lateOutside.MemberId });
            await WaitForMembersAsync(id, "member_id = " + lateInside.MemberId, 1);
            await Task.Delay(1_500); // more passes of the worker
            var outsideEntered = await Api.ScalarAsync<long>("SELECT COUNT(*) FROM journey_members WHERE journey_id = @id AND member_id = @m",
                new { id, m = lateOutside.MemberId });
            await worker.DisposeAsync(); // no pass may read the new version before we look

            using var admin = Api.CreateAdminClient();
            var edit = await admin.PutAsJsonAsync($"/admin/journeys/{id}", new
            {
                name = "read from the watermark", trigger = new { type = "order_paid" }, steps = new object[] { new { type = "wait", days = 31 } },
            });
            var afterEdit = await Api.ScalarAsync<DateTime?>("SELECT enrolled_through FROM journeys WHERE id = @id AND current_version = 2", new { id });

            Assert.Multiple(() =>
            {
                Assert.That(outsideEntered, Is.Zero, "a payment stamped before the overlap is not read again");
                Assert.That(edit.StatusCode, Is.EqualTo(HttpStatusCode.OK), edit.Content.ReadAsStringAsync().Result);
                Assert.That(afterEdit, Is.Null, "a new version reads its trigger from the activation again");
            });
        }
        finally
        {
            await MoveAsync(id, "archive");
        }
    }

    [Test]
    public async Task Journey_TwoWorkers_EachMemberPassesEachStepOnce()
    {
        var people = new List<Person>();
        for (var i = 0; i < 8; i++) people.Add(await NewMemberAsync());
        var trigger = await NewTagAsync("j-in");
        var marker = await NewTagAsync("j-done");
        // Up to 5 of this coupon per member: a second pass of the step would give a second coupon.
        var coupon = await OfferTestData.NewTemplateAsync(Api, OfferTestData.Template(perMemberLimit: 5));
        var id = await CreateAsync(new
        {
            name = "two workers",
            trigger = new { type = "tag_added", tagId = trigger },
            steps = new object[]
            {
                new { type = "grant_coupon", couponTemplateId = coupon },
                new { type = "grant_points", points = 10 },
                new { type = "add_tag", tagId = marker },
                SendTemplate,
            },
        });
        try
        {
            await MoveAsync(id, "activate");
            await using var a = CampaignsEnvironment.StartWorker(journeys: true);
            await using var b = CampaignsEnvironment.StartWorker(journeys: true);
            using (var admin = Api.CreateAdminClient())
                foreach (var p in people)
                    Assert.That((int)(await admin.PostAsJsonAsync($"/admin/members/{p.MemberId}/tags", new { tagId = trigger })).StatusCode, Is.LessThan(300));
            await WaitForMembersAsync(id, "state = 'completed'", people.Count, 60_000);
            foreach (var p in people)
                await Eventually.MatchAsync(async () => (await DeliveredAsync(p.OaOpenId, "template")).Length, n => n >= 1, 20_000);
            await Task.Delay(1_500);

            var members = people.Select(p => p.MemberId).ToArray();
            var coupons = (await Api.QueryAsync<long>(
                "SELECT COUNT(*) FROM member_coupons WHERE template_id = @coupon AND member_id IN @members GROUP BY member_id", new { coupon, members })).ToList();
            var points = (await Api.QueryAsync<long>(
                "SELECT COUNT(*) FROM points_ledger WHERE reason = 'journey' AND member_id IN @members GROUP BY member_id", new { members })).ToList();
            var passes = (await Api.QueryAsync<long>(
                "SELECT COUNT(*) FROM journey_step_passes WHERE journey_id = @id GROUP BY member_id, step", new { id })).ToList();
            var delivered = new List<int>();
            foreach (var p in people) delivered.Add((await DeliveredAsync(p.OaOpenId, "template")).Length);
            var tagged = await Api.ScalarAsync<long>("SELECT COUNT(*) FROM member_tags WHERE tag_id = @marker AND member_id IN @members", new { marker, members });

            Assert.Multiple(() =>
            {
                Assert.That(coupons, Has.Count.EqualTo(people.Count).And.All.EqualTo(1), "one coupon per member");
                Assert.That(points, Has.Count.EqualTo(people.Count).And.All.EqualTo(1), "one points grant per member");
                Assert.That(passes, Has.Count.EqualTo(people.Count * 4).And.All.EqualTo(1), "each member passed each step once");
                Assert.That(delivered, Is.All.EqualTo(1), "one message per member");
                Assert.That(tagged, Is.EqualTo(people.Count));
            });
        }
        finally
        {
            await MoveAsync(id, "archive");
        }
    }

    [Test]
    public async Task Journey_Paused_HoldsMembersAndSendsNothing_ResumedCarriesOn()
    {
        var p = await NewMemberAsync();
        var trigger = await NewTagAsync("j-pause");
        var id = await CreateAsync(new
        {
            name = "pause",
            trigger = new { type = "tag_added", tagId = trigger },
            steps = new object[] { new { type = "wait", days = 1 }, SendTemplate },
        });
        try
        {
            await MoveAsync(id, "activate");
            await using var worker = CampaignsEnvironment.StartWorker(journeys: true);
            using (var admin = Api.CreateAdminClient())
                await admin.PostAsJsonAsync($"/admin/members/{p.MemberId}/tags", new { tagId = trigger });
            await WaitForMembersAsync(id, "state = 'active'", 1);

            var paused = await MoveAsync(id, "pause");
            await Clock.JumpAsync(TimeSpan.FromDays(2)); // the wait is over while the journey is paused
            await Task.Delay(2_000);
            var whilePaused = (await DeliveredAsync(p.OaOpenId, "template")).Length;
            var stepWhilePaused = await Api.ScalarAsync<int>("SELECT step FROM journey_members WHERE journey_id = @id", new { id });
            var campaignWhilePaused = await Api.ScalarAsync<string>("SELECT status FROM campaigns WHERE journey_id = @id", new { id });
            var campaignId = await Api.ScalarAsync<long>("SELECT id FROM campaigns WHERE journey_id = @id", new { id });
            using var operatorClient = Api.CreateAdminClient();
            var resumeCampaignAlone = await operatorClient.PostAsync($"/admin/campaigns/{campaignId}/resume", null);
            var listed = (await operatorClient.GetFromJsonAsync<JsonElement[]>("/admin/campaigns"))!.Any(c => c.GetProperty("id").GetInt64() == campaignId);

            var resumed = await MoveAsync(id, "resume");
            var delivered = await Eventually.MatchAsync(async () => (await DeliveredAsync(p.OaOpenId, "template")).Length, n => n >= 1, 20_000);
            await Task.Delay(1_000);

            Assert.Multiple(async () =>
            {
                Assert.That(paused.GetProperty("status").GetString(), Is.EqualTo("paused"));
                Assert.That(whilePaused, Is.Zero, "a paused journey sends nothing");
                Assert.That(stepWhilePaused, Is.Zero, "and moves nobody on");
                Assert.That(campaignWhilePaused, Is.EqualTo("paused"), "its send step's campaign is paused with it");
                Assert.That(resumeCampaignAlone.StatusCode, Is.EqualTo(HttpStatusCode.Conflict), "and moves only with the journey");
                Assert.That((await ReadAsync(resumeCampaignAlone)).GetProperty("code").GetString(), Is.EqualTo("CAMPAIGN_OWNED_BY_JOURNEY"));
                Assert.That(listed, Is.False, "a journey's campaign is not among the merchant's campaigns");
                Assert.That(resumed.GetProperty("status").GetString(), Is.EqualTo("active"));
                Assert.That(delivered, Is.EqualTo(1));
                Assert.That((await DeliveredAsync(p.OaOpenId, "template")).Length, Is.EqualTo(1));
            });
        }
        finally
        {
            await MoveAsync(id, "archive");
        }
    }

    [Test]
    public async Task Journey_EditedWhileMembersWait_TheyFinishTheVersionTheyEntered()
    {
        var p = await NewMemberAsync();
        var trigger = await NewTagAsync("j-edit");
        var v2Tag = await NewTagAsync("j-v2");
        var v1Tag = await NewTagAsync("j-v1");
        object Definition(long tagId) => new
        {
            name = "edited",
            trigger = new { type = "tag_added", tagId = trigger },
            steps = new object[] { new { type = "wait", days = 1 }, new { type = "add_tag", tagId } },
        };
        var id = await CreateAsync(Definition(v1Tag));
        try
        {
            await MoveAsync(id, "activate");
            await using var worker = CampaignsEnvironment.StartWorker(journeys: true);
            using (var admin = Api.CreateAdminClient())
            {
                await admin.PostAsJsonAsync($"/admin/members/{p.MemberId}/tags", new { tagId = trigger });
                await WaitForMembersAsync(id, "state = 'active'", 1);
                var edited = await admin.PutAsJsonAsync($"/admin/journeys/{id}", Definition(v2Tag));
                Assert.That(edited.StatusCode, Is.EqualTo(HttpStatusCode.OK), await edited.Content.ReadAsStringAsync());
            }
            await Clock.JumpAsync(TimeSpan.FromDays(1) + TimeSpan.FromMinutes(1));
            await WaitForMembersAsync(id, "state = 'completed'", 1);
            var tags = (await Api.QueryAsync<long>("SELECT tag_id FROM member_tags WHERE member_id = @m", new { m = p.MemberId })).ToList();
            var detail = await DetailAsync(id);

            Assert.Multiple(() =>
            {
                Assert.That(tags, Does.Contain(v1Tag), "the member finished version 1");
                Assert.That(tags, Does.Not.Contain(v2Tag));
                Assert.That(detail.GetProperty("journey").GetProperty("currentVersion").GetInt32(), Is.EqualTo(2));
                Assert.That(detail.GetProperty("versions").GetArrayLength(), Is.EqualTo(2));
            });
        }
        finally
        {
            await MoveAsync(id, "archive");
        }
    }

    [Test]
    public async Task Journey_WelcomeOnFollow_SendsTextInsideTheFollowWindow()
    {
        var p = await NewMemberAsync(follow: false);
        var id = await CreateAsync(new
        {
            name = "welcome",
            trigger = new { type = "followed" },
            steps = new object[] { new { type = "send", channels = new[] { "text" }, content = new { text = "{nickname}，欢迎关注！" } } },
        });
        try
        {
            await MoveAsync(id, "activate");
            await using var worker = CampaignsEnvironment.StartWorker(journeys: true);
            await FollowAsync(p);
            var delivered = await Eventually.MatchAsync(async () => (await DeliveredAsync(p.OaOpenId, "custom")).Length, n => n >= 1, 20_000);
            var entered = await Api.ScalarAsync<long>("SELECT COUNT(*) FROM journey_members WHERE journey_id = @id AND member_id = @m", new { id, m = p.MemberId });

            Assert.Multiple(() =>
            {
                Assert.That(entered, Is.EqualTo(1));
                Assert.That(delivered, Is.EqualTo(1), "the welcome, within WeChat's one-minute window after a follow");
            });
        }
        finally
        {
            await MoveAsync(id, "archive");
        }
    }

    [Test]
    public async Task Journey_BoughtInTheSameSecondAsTheEntry_CountsForTheGoalAndTheBranch()
    {
        var goal = await NewMemberAsync(follow: false);
        var branch = await NewMemberAsync(follow: false);
        var sku = await NewSkuAsync(1_000);
        var goalJourney = await CreateAsync(new
        {
            name = "bought goal, same second",
            trigger = new { type = "followed" },
            goal = new { type = "bought" },
            steps = new object[] { new { type = "wait", days = 1 }, SendTemplate },
        });
        var branchJourney = await CreateAsync(new
        {
            name = "bought branch, same second",
            trigger = new { type = "followed" },
            steps = new object[]
            {
                new { type = "wait", days = 1 },
                new { type = "branch", condition = new { type = "bought_since_entry" } }, // true: the next step; false: leave
                new { type = "send", channels = new[] { "text" }, content = new { text = "感谢下单！" } },
            },
        });
        try
        {
            await MoveAsync(goalJourney, "activate");
            await MoveAsync(branchJourney, "activate");
            await using (var worker = CampaignsEnvironment.StartWorker(journeys: true))
            {
                await FollowAsync(goal);
                await FollowAsync(branch);
                await WaitForMembersAsync(goalJourney, $"member_id = {goal.MemberId} AND state = 'active'", 1);
                await WaitForMembersAsync(branchJourney, $"member_id = {branch.MemberId} AND state = 'active'", 1);
            }
            await BuyAsync(goal, sku);
            await BuyAsync(branch, sku);
            // WeChat Pay stamps the payment to the second (…:00.000); the entry was stamped 400 ms into that same second.
            foreach (var (journey, member) in new[] { (goalJourney, goal.MemberId), (branchJourney, branch.MemberId) })
                await Api.ScalarAsync<long?>("""
                    UPDATE journey_members SET entered_at = (SELECT last_paid_at FROM member_stats WHERE member_id = @member) + INTERVAL 400000 MICROSECOND
                    WHERE journey_id = @journey AND member_id = @member
                    """, new { journey, member });

            await using var again = CampaignsEnvironment.StartWorker(journeys: true);
            var exited = await Eventually.MatchAsync(() => Api.ScalarAsync<long>(
                "SELECT COUNT(*) FROM journey_members WHERE journey_id = @goalJourney AND member_id = @m AND state = 'exited_goal'",
                new { goalJourney, m = goal.MemberId }), n => n >= 1, 15_000);
            await WriteAsync(branch, "在吗"); // the text send needs the customer-service window (48 h)
            await Clock.JumpAsync(TimeSpan.FromDays(1) + TimeSpan.FromMinutes(1));
            var texts = await Eventually.MatchAsync(async () => (await DeliveredAsync(branch.OaOpenId, "custom")).Length, n => n >= 1, 20_000);
            var sent = await DeliveredAsync(branch.OaOpenId, "custom");

            Assert.Multiple(() =>
            {
                Assert.That(exited, Is.EqualTo(1), "a purchase in the second of the entry reaches the goal");
                Assert.That(texts, Is.EqualTo(1));
                Assert.That(sent[0].GetProperty("content").GetString(), Is.EqualTo("感谢下单！"), "the branch sees the purchase in the second of the entry");
            });
        }
        finally
        {
            await MoveAsync(goalJourney, "archive");
            await MoveAsync(branchJourney, "archive");
        }
    }

    [Test]
    public async Task Journey_BadDefinitions_Are400WithACodeNamingTheProblem()
    {
        using var admin = Api.CreateAdminClient();
        await admin.PostAsync("/admin/campaigns/templates/sync", null);
        var tag = await NewTagAsync("j-bad");
        var ruleTag = await ReadAsync(await admin.PostAsJsonAsync("/admin/tags", new
        {
            name = "j-rule-" + Guid.NewGuid().ToString("N")[..8], rule = new { field = "netSpendFen", op = ">=", value = 50_000 },
        }));
        object Journey(object trigger, params object[] steps) => new { name = "bad", trigger, steps };
        var ok = new { type = "tag_added", tagId = tag };
        var cases = new (object Body, string Code, int? Step)[]
        {
            (Journey(new { type = "birthday" }, new { type = "wait", days = 1 }), "JOURNEY_TRIGGER_INVALID", null),
            (Journey(new { type = "no_purchase" }, new { type = "wait", days = 1 }), "JOURNEY_TRIGGER_INVALID", null),
            (Journey(ok), "JOURNEY_STEPS_INVALID", null),
            (Journey(ok, new { type = "wait", days = 1 }, new { type = "teleport" }), "JOURNEY_STEP_TYPE_UNKNOWN", 1),
            (Journey(ok, new { type = "wait", until = "25:00" }), "JOURNEY_WAIT_INVALID", 0),
            (Journey(ok, new { type = "wait" }), "JOURNEY_WAIT_INVALID", 0),
            (Journey(ok, new { type = "wait", days = 1 }, new { type = "branch", condition = new { type = "bought_since_entry" }, onTrue = 0 }),
                "JOURNEY_BRANCH_INVALID", 1),
            (Journey(ok, new { type = "branch", condition = new { type = "moon_is_full" } }), "JOURNEY_BRANCH_INVALID", 0),
            (Journey(ok, new { type = "send", channels = new[] { "template" }, content = new { template = new { templateId = OaTemplate, data = new Dictionary<string, string> { ["nope9"] = "x" } } } }),
                "JOURNEY_SEND_INVALID", 0),
            (Journey(ok, new { type = "send", channels = new[] { "pigeon" }, content = new { text = "hi" } }), "JOURNEY_SEND_INVALID", 0),
            (Journey(ok, new { type = "add_tag", tagId = ruleTag.GetProperty("id").GetInt64() }), "JOURNEY_TAG_INVALID", 0),
            (Journey(ok, new { type = "remove_tag", tagId = long.MaxValue }), "JOURNEY_TAG_INVALID", 0),
            (Journey(ok, new { type = "grant_points", points = 0 }), "JOURNEY_POINTS_INVALID", 0),
            (Journey(ok, new { type = "grant_coupon", couponTemplateId = 999_999_999 }), "JOURNEY_COUPON_INVALID", 0),
        };
        var answers = new List<(int Status, string? Code, int? Step, string Body)>();
        foreach (var (body, _, _) in cases)
        {
            var response = await admin.PostAsJsonAsync("/admin/journeys", body);
            var json = await ReadAsync(response);
            answers.Add(((int)response.StatusCode, json.TryGetProperty("code", out var c) ? c.GetString() : null,
                json.TryGetProperty("step", out var s) && s.ValueKind == JsonValueKind.Number ? s.GetInt32() : null, json.ToString()));
        }
        var draft = await CreateAsync(Journey(ok, new { type = "wait", days = 1 }));
        await MoveAsync(draft, "archive");
        var resume = await admin.PostAsync($"/admin/journeys/{draft}/resume", null);
        var edit = await admin.PutAsJsonAsync($"/admin/journeys/{draft}", Journey(ok, new { type = "wait", days = 2 }));
        var missing = await admin.PostAsync("/admin/journeys/999999999/activate", null);

        Assert.Multiple(async () =>
        {
            for (var i = 0; i < cases.Length; i++)
            {
                Assert.That(answers[i].Status, Is.EqualTo(400), $"case {i}: {answers[i].Body}");
                Assert.That(answers[i].Code, Is.EqualTo(cases[i].Code), $"case {i}: {answers[i].Body}");
                Assert.That(answers[i].Step, Is.EqualTo(cases[i].Step), $"case {i}: {answers[i].Body}");
            }
            Assert.That(resume.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
            Assert.That((await ReadAsync(resume)).GetProperty("code").GetString(), Is.EqualTo("JOURNEY_STATE_CONFLICT"));
            Assert.That(edit.StatusCode, Is.EqualTo(HttpStatusCode.Conflict), "an archived journey cannot be edited");
            Assert.That(missing.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That((await ReadAsync(missing)).GetProperty("code").GetString(), Is.EqualTo("JOURNEY_NOT_FOUND"));
        });
    }

    static async Task<long> CreateAsync(object body)
    {
        using var admin = Api.CreateAdminClient();
        var sync = await admin.PostAsync("/admin/campaigns/templates/sync", null);
        Assert.That(sync.StatusCode, Is.EqualTo(HttpStatusCode.OK), await sync.Content.ReadAsStringAsync());
        var created = await admin.PostAsJsonAsync("/admin/journeys", body);
        var json = await ReadAsync(created);
        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created), json.ToString());
        return json.GetProperty("id").GetInt64();
    }

    static async Task<JsonElement> MoveAsync(long id, string move)
    {
        using var admin = Api.CreateAdminClient();
        var response = await admin.PostAsync($"/admin/journeys/{id}/{move}", null);
        var json = await ReadAsync(response);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), json.ToString());
        return json;
    }

    static async Task<JsonElement> DetailAsync(long id)
    {
        using var admin = Api.CreateAdminClient();
        var response = await admin.GetAsync($"/admin/journeys/{id}");
        var json = await ReadAsync(response);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), json.ToString());
        return json;
    }

    static async Task<long> NewTagAsync(string prefix)
    {
        using var admin = Api.CreateAdminClient();
        var tag = await ReadAsync(await admin.PostAsJsonAsync("/admin/tags", new { name = prefix + "-" + Guid.NewGuid().ToString("N")[..10] }));
        return tag.GetProperty("id").GetInt64();
    }

    static async Task<long> WaitForMembersAsync(long id, string condition, long count, int timeoutMs = 20_000)
    {
        var n = await Eventually.MatchAsync(() => Api.ScalarAsync<long>($"SELECT COUNT(*) FROM journey_members WHERE journey_id = @id AND {condition}", new { id }),
            x => x >= count, timeoutMs);
        Assert.That(n, Is.EqualTo(count), $"journey {id}: members with {condition}");
        return n;
    }
}
