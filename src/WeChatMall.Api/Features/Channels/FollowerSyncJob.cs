using MySqlConnector;
using WeChatMall.Api.Features.Followers;
using WeChatMall.Api.Infrastructure.Jobs;
using WeChatMall.WeChat.Api;

namespace WeChatMall.Api.Features.Channels;

/// <summary>
/// Imports the account's existing followers: pages of <c>user/get</c> (10,000 openids, <c>next_openid</c>), each in
/// chunks of 100 through <c>user/info/batchget</c>, written through <see cref="FollowerStore.ImportAsync"/>. A chunk's
/// followers and the run's position (page cursor and last imported openid) commit together, so a run that fails
/// (WeChat down, quota spent) resumes after the last chunk that committed: every follower is imported once. Runs only
/// when an admin started one (POST /admin/channels/follower-sync); one instance at a time (lease).
/// </summary>
public sealed class FollowerSyncJob(
    MySqlDataSource db, FollowerSyncStore runs, OfficialAccountClient wechat, TimeProvider clock,
    ILogger<FollowerSyncJob> logger, JobServices jobs) : PeriodicJob(jobs)
{
    public const int BatchSize = 100;

    public override string Name => "FollowerSync";
    protected override TimeSpan DefaultInterval => TimeSpan.FromSeconds(10);
    protected override bool SingleInstance => true;
    protected override Task RunAsync(CancellationToken ct) => RunOnceAsync(ct);

    /// <summary>Continues the running run until it completes; a WeChat failure is recorded on the run and thrown.</summary>
    public async Task RunOnceAsync(CancellationToken ct)
    {
        if (await runs.RunningAsync(ct) is not { } run) return;
        try
        {
            await ContinueAsync(run, ct);
        }
        catch (Exception ex) when (ex is WeChatApiException or HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            var error = ex is WeChatApiException api ? $"{api.Path}: errcode {api.Errcode}" : ex.GetType().Name;
            await runs.RecordFailureAsync(run.Id, error, Now(), ct);
            Log.SyncInterrupted(logger, ex, run.Id, run.Pages);
            throw;
        }
    }

    async Task ContinueAsync(FollowerSyncRun run, CancellationToken ct)
    {
        var cursor = run.CursorOpenid;
        var lastDone = run.PageLastOpenid;
        while (true)
        {
            var page = await wechat.GetFollowerPageAsync(cursor, ct);
            if (page.Count == 0 || page.OpenIds.Count == 0) break;
            // Resuming inside a page: skip what the last committed chunk covered (re-fetched pages keep their order).
            var start = lastDone is null ? 0 : IndexAfter(page.OpenIds, lastDone);
            for (var i = start; i < page.OpenIds.Count; i += BatchSize)
            {
                var chunk = page.OpenIds.Skip(i).Take(BatchSize).ToList();
                var infos = await wechat.BatchGetUserInfoAsync(chunk, ct);
                var following = infos.Where(u => u.Subscribed && u.OpenId.Length > 0)
                    .Select(u => new ImportedFollower(u.OpenId, u.UnionId, DateTimeOffset.FromUnixTimeSeconds(u.SubscribeTime).UtcDateTime))
                    .ToList();
                await using var c = await db.OpenConnectionAsync(ct);
                await using var tx = await c.BeginTransactionAsync(ct);
                await FollowerStore.ImportAsync(c, tx, following, Now(), ct);
                await FollowerSyncStore.AdvanceInPageAsync(c, tx, run.Id, chunk[^1], following.Count, page.Total, Now(), ct);
                await tx.CommitAsync(ct);
            }
            if (string.IsNullOrEmpty(page.NextOpenId)) break;
            await runs.NextPageAsync(run.Id, page.NextOpenId, Now(), ct);
            (cursor, lastDone) = (page.NextOpenId, null);
        }
        await runs.CompleteAsync(run.Id, Now(), ct);
        var done = await runs.LatestAsync(ct);
        Log.SyncFinished(logger, run.Id, done?.Imported ?? 0);
    }

    static int IndexAfter(IReadOnlyList<string> openIds, string last)
    {
        for (var i = 0; i < openIds.Count; i++)
            if (openIds[i] == last) return i + 1;
        return 0; // not on the page any more: import the page again (upserts change nothing twice)
    }

    DateTime Now() => clock.GetUtcNow().UtcDateTime;
}
