using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using WeChatMall.Api.Features.Campaigns;
using WeChatMall.Api.Tests.TestHost;
using static WeChatMall.Api.Tests.Features.Campaigns.CampaignPeople;

namespace WeChatMall.Api.Tests.Features.Campaigns;

/// <summary>
/// Recurring campaigns: one run per occurrence across two instances, each with the segment as it was at that occurrence;
/// missed occurrences collapse into one run; pause stops occurrences, cancel ends the campaign; the cron is validated.
/// </summary>
[NonParallelizable]
public sealed class CampaignRecurrenceTests
{
    static ApiFactory Api => CampaignsEnvironment.Api;
    static RunningClock Clock => CampaignsEnvironment.Clock;

    [Test]
    public async Task Recurring_TwoInstances_OneRunPerOccurrence_SegmentFrozenAtEachOccurrence()
    {
        var (a, b, c) = (await NewMemberAsync(), await NewMemberAsync(), await NewMemberAsync());
        var segment = await SegmentOfAsync(a, b);
        using (var admin = Api.CreateAdminClient())
            Assert.That((await admin.PostAsync("/admin/campaigns/templates/sync", null)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var (status, created) = await CreateAsync(new
        {
            name = "hourly", segmentId = segment, channels = new[] { "template" }, content = CampaignPeople.TemplateContent, recurrence = new { cron = "0 * * * *" },
        });
        Assert.That(status, Is.EqualTo(HttpStatusCode.Created), created.ToString());
        var id = created.GetProperty("id").GetInt64();
        var started = await ActAsync(id, "start");
        var firstDue = started.GetProperty("recurrence").GetProperty("nextRunAt").GetDateTime();

        await using var one = CampaignsEnvironment.StartWorker();
        await using var two = CampaignsEnvironment.StartWorker();
        await Task.Delay(1_000);
        var runsBeforeDue = await RunCountAsync(id);
        await JumpToAsync(firstDue);
        // Both instances try the same occurrence at once, besides their delivery engines doing so every 200 ms.
        var made = await Task.WhenAll(new[] { one, two, one, two }.Select(i => i.Services.GetRequiredService<CampaignRecurrence>().OccurDueAsync(CancellationToken.None)));
        await WaitForCompletedRunsAsync(id, 1);
        var afterFirst = (await DeliveredAsync(a.OaOpenId, "template")).Length;

        await TagIntoAsync(segment, c); // the next occurrence re-evaluates the segment
        var secondDue = await Api.ScalarAsync<DateTime>("SELECT next_run_at FROM campaigns WHERE id = @id", new { id });
        await JumpToAsync(secondDue);
        await WaitForCompletedRunsAsync(id, 2);
        await Task.Delay(1_000); // time for a duplicate run to appear, if one could

        var runs = await RunsAsync(id);
        var delivered = new[] { a, b, c }.Select(p => DeliveredAsync(p.OaOpenId, "template").Result.Length).ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(started.GetProperty("status").GetString(), Is.EqualTo("recurring"));
            Assert.That(ChinaMinute(firstDue), Is.Zero, "the next full hour, China time");
            Assert.That(runsBeforeDue, Is.Zero, "nothing runs before the first occurrence");
            Assert.That(made.Sum(), Is.LessThanOrEqualTo(1), "at most one of the racing calls made the run");
            Assert.That(afterFirst, Is.EqualTo(1));
            Assert.That(runs.Select(r => r.GetProperty("status").GetString()), Is.EqualTo(new[] { "completed", "completed" }), "one run per occurrence");
            Assert.That(runs.Select(r => r.GetProperty("occurrenceAt").GetDateTime()), Is.EqualTo(new[] { secondDue, firstDue }));
            Assert.That(runs.Select(r => r.GetProperty("audienceSize").GetInt64()), Is.EqualTo(new[] { 3L, 2L }), "each run froze the segment at its occurrence");
            Assert.That(delivered, Is.EqualTo(new[] { 2, 2, 1 }), "twice after two occurrences; the late joiner once");
        });
    }

    [Test]
    public async Task Recurring_MissedOccurrencesRunOnce_PauseStopsThem_CancelEndsIt()
    {
        var a = await NewMemberAsync();
        var segment = await SegmentOfAsync(a);
        var (status, created) = await CreateAsync(new
        {
            name = "every 2 hours", segmentId = segment, channels = new[] { "text" }, content = new { text = "{nickname}，今天的好物" },
            recurrence = new { cron = "30 */2 * * *" },
        });
        Assert.That(status, Is.EqualTo(HttpStatusCode.Created), created.ToString());
        var id = created.GetProperty("id").GetInt64();
        var due = (await ActAsync(id, "start")).GetProperty("recurrence").GetProperty("nextRunAt").GetDateTime();

        // Every instance is down for more than five occurrences, then one comes back.
        await JumpToAsync(due.AddHours(10).AddMinutes(5));
        await using (var worker = CampaignsEnvironment.StartWorker())
        {
            await WaitForCompletedRunsAsync(id, 1);
            await Task.Delay(1_500);
        }
        var runsAfterOutage = await RunsAsync(id);

        var paused = await ActAsync(id, "pause");
        await using (var worker = CampaignsEnvironment.StartWorker())
        {
            await Clock.JumpAsync(TimeSpan.FromHours(4));
            await Task.Delay(1_500);
        }
        var runsWhilePaused = await RunCountAsync(id);
        var resumed = await ActAsync(id, "resume");
        var cancelled = await ActAsync(id, "cancel");

        Assert.Multiple(() =>
        {
            Assert.That(runsAfterOutage, Has.Length.EqualTo(1), "missed occurrences make one run, not one per tick");
            Assert.That(runsAfterOutage[0].GetProperty("occurrenceAt").GetDateTime(), Is.EqualTo(due.AddHours(10)), "the latest missed occurrence");
            Assert.That(paused.GetProperty("status").GetString(), Is.EqualTo("paused"));
            Assert.That(runsWhilePaused, Is.EqualTo(1), "a paused campaign makes no run");
            Assert.That(resumed.GetProperty("status").GetString(), Is.EqualTo("recurring"));
            Assert.That(resumed.GetProperty("recurrence").GetProperty("nextRunAt").GetDateTime(), Is.GreaterThan(Clock.GetUtcNow().UtcDateTime),
                "resuming skips the occurrences of the pause");
            Assert.That(cancelled.GetProperty("status").GetString(), Is.EqualTo("cancelled"));
            Assert.That(cancelled.GetProperty("recurrence").GetProperty("nextRunAt").ValueKind, Is.EqualTo(JsonValueKind.Null));
        });
    }

    [TestCase("*/30 * * * *", "CAMPAIGN_CRON_TOO_FREQUENT")]
    [TestCase("0,30 9 * * *", "CAMPAIGN_CRON_TOO_FREQUENT")]
    [TestCase("61 * * * *", "CAMPAIGN_CRON_INVALID")]
    [TestCase("0 9 * *", "CAMPAIGN_CRON_INVALID")]
    [TestCase("0 0 9 * * *", "CAMPAIGN_CRON_INVALID")]
    [TestCase("0 9 30 2 *", "CAMPAIGN_CRON_NEVER")]
    public async Task Recurrence_BadCron_IsRefusedWithItsCode(string cron, string code)
    {
        var segment = await SegmentOfAsync(await NewMemberAsync(follow: false));
        var (status, body) = await CreateAsync(new { name = "bad", segmentId = segment, channels = new[] { "text" }, content = new { text = "hi" }, recurrence = new { cron } });
        Assert.Multiple(() =>
        {
            Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest), body.ToString());
            Assert.That(body.GetProperty("code").GetString(), Is.EqualTo(code));
        });
    }

    [Test]
    public async Task Recurrence_WithSendAt_IsRefused_AndADraftTakesANewCron()
    {
        var segment = await SegmentOfAsync(await NewMemberAsync(follow: false));
        var (status, body) = await CreateAsync(new
        {
            name = "both", segmentId = segment, channels = new[] { "text" }, content = new { text = "hi" }, recurrence = new { cron = "0 9 * * 1" },
            sendAt = Clock.GetUtcNow().AddDays(1),
        });
        var (_, draft) = await CreateAsync(new { name = "later", segmentId = segment, channels = new[] { "text" }, content = new { text = "hi" } });
        using var admin = Api.CreateAdminClient();
        var put = await admin.PutAsJsonAsync($"/admin/campaigns/{draft.GetProperty("id").GetInt64()}/recurrence", new { cron = "0 9 * * 1" });
        var updated = await ReadAsync(put);
        Assert.Multiple(() =>
        {
            Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(body.GetProperty("code").GetString(), Is.EqualTo("CAMPAIGN_INVALID"));
            Assert.That(put.StatusCode, Is.EqualTo(HttpStatusCode.OK), updated.ToString());
            Assert.That(updated.GetProperty("recurrence").GetProperty("cron").GetString(), Is.EqualTo("0 9 * * 1"));
        });
    }

    static int ChinaMinute(DateTime utc) => (utc + TimeSpan.FromHours(8)).Minute;

    static async Task JumpToAsync(DateTime utc)
    {
        var now = Clock.GetUtcNow().UtcDateTime;
        if (utc > now) await Clock.JumpAsync(utc - now + TimeSpan.FromSeconds(1));
    }

    static Task<long> RunCountAsync(long id) => Api.ScalarAsync<long>("SELECT COUNT(*) FROM campaigns WHERE parent_id = @id", new { id });

    static async Task WaitForCompletedRunsAsync(long id, long n)
    {
        var done = await Eventually.MatchAsync(() => Api.ScalarAsync<long>(
            "SELECT COUNT(*) FROM campaigns WHERE parent_id = @id AND status = 'completed'", new { id }), x => x >= n, 30_000);
        Assert.That(done, Is.GreaterThanOrEqualTo(n), $"{n} runs completed");
    }

    static async Task<JsonElement[]> RunsAsync(long id)
    {
        using var admin = Api.CreateAdminClient();
        var response = await admin.GetAsync($"/admin/campaigns/{id}/runs");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return [.. (await ReadAsync(response)).EnumerateArray()];
    }
}
