using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using WeChatMall.Api.Features.Channels;
using WeChatMall.Api.Tests.TestHost;
using WeChatMall.WeChat.Api;

namespace WeChatMall.Api.Tests.Features.Channels;

/// <summary>
/// The follower import against the sandbox's follower list (pages of 120 instead of WeChat's 10,000, so 300
/// followers take three pages and five batchget calls): a fault in the middle stops the run at its last committed
/// chunk, and the next pass resumes there and imports every follower exactly once.
/// </summary>
[NonParallelizable] // one sandbox follower list, one follower_sync_runs row at a time
public sealed class FollowerSyncTests
{
    static SandboxHost sandbox = null!;
    static ApiFactory api = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        sandbox = await SandboxHost.StartAsync();
        var settings = sandbox.ApiSettings();
        settings["Jobs:FollowerSync:Enabled"] = "false"; // the test runs the passes itself
        api = await ApiFactory.StartAsync(settings);
        (await sandbox.Client.PutAsJsonAsync("/sandbox/followers/paging", new { pageSize = 120 })).EnsureSuccessStatusCode();
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await api.DisposeAsync();
        await sandbox.DisposeAsync();
    }

    static async Task<JsonElement> StatusAsync()
    {
        using var admin = api.CreateAdminClient();
        return await admin.GetFromJsonAsync<JsonElement>("/admin/channels/follower-sync");
    }

    static async Task<string[]> UserGetCursorsAsync()
        => [.. (await sandbox.Client.GetFromJsonAsync<JsonElement[]>("/sandbox/calls?route=/cgi-bin/user/get"))!
            .Select(c => System.Web.HttpUtility.ParseQueryString(c.GetProperty("query").GetString()!)["next_openid"] ?? "")];

    [Test]
    public async Task Sync_FailsMidway_ResumesFromCursor_EveryFollowerImportedOnce()
    {
        var prefix = "o_sync_" + Guid.NewGuid().ToString("N")[..8] + "_";
        var openIds = (await (await sandbox.Client.PostAsJsonAsync("/sandbox/followers/bulk", new { prefix, count = 300 }))
            .Content.ReadFromJsonAsync<JsonElement>()).GetProperty("openIds").EnumerateArray().Select(o => o.GetString()!).ToList();
        // Page 1 takes batchget calls 1-2, page 2 calls 3-4: the 4th call (page 2's second chunk) fails.
        (await sandbox.Client.PostAsJsonAsync("/sandbox/faults", new { route = "/cgi-bin/user/info/batchget", skip = 3, errcode = 45011 })).EnsureSuccessStatusCode();
        using var admin = api.CreateAdminClient();
        var started = await admin.PostAsync("/admin/channels/follower-sync", null);
        var again = await admin.PostAsync("/admin/channels/follower-sync", null);
        var job = api.Services.GetRequiredService<FollowerSyncJob>();

        var failure = Assert.ThrowsAsync<WeChatApiException>(() => job.RunOnceAsync(CancellationToken.None));
        var stopped = await StatusAsync();
        await job.RunOnceAsync(CancellationToken.None);
        var done = await StatusAsync();
        var rows = await api.ScalarAsync<long>("SELECT COUNT(*) FROM followers WHERE openid LIKE @p AND state = 'subscribed' AND unionid = CONCAT('u', openid)",
            new { p = prefix + "%" });
        var cursors = await UserGetCursorsAsync();

        Assert.Multiple(() =>
        {
            Assert.That((started.StatusCode, again.StatusCode), Is.EqualTo((HttpStatusCode.Accepted, HttpStatusCode.OK)), "one run at a time");
            Assert.That(failure!.Errcode, Is.EqualTo(45011));
            Assert.That(stopped.GetProperty("status").GetString(), Is.EqualTo("running"));
            Assert.That(stopped.GetProperty("imported").GetInt64(), Is.EqualTo(220), "page 1 and page 2's first chunk committed");
            Assert.That(stopped.GetProperty("cursorOpenid").GetString(), Is.EqualTo(openIds[119]), "page 2 is fetched after page 1's last openid");
            Assert.That(stopped.GetProperty("pageLastOpenid").GetString(), Is.EqualTo(openIds[219]));
            Assert.That(stopped.GetProperty("failures").GetInt32(), Is.EqualTo(1));
            Assert.That(stopped.GetProperty("lastError").GetString(), Does.Contain("45011"));
            Assert.That(done.GetProperty("status").GetString(), Is.EqualTo("completed"));
            Assert.That(done.GetProperty("imported").GetInt64(), Is.EqualTo(300), "nobody imported twice");
            Assert.That(done.GetProperty("total").GetInt64(), Is.EqualTo(300));
            Assert.That(rows, Is.EqualTo(300), "every follower, with their UnionID");
            Assert.That(cursors.Count(c => c == ""), Is.EqualTo(1), "the second pass did not start over");
            Assert.That(cursors, Is.EqualTo(new[] { "", openIds[119], openIds[119], openIds[239], openIds[299] }));
        });
    }
}
