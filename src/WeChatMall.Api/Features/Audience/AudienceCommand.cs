namespace WeChatMall.Api.Features.Audience;

/// <summary>
/// <c>dotnet WeChatMall.Api.dll audience rebuild-stats</c>: recomputes every member's stats, RFM and rule tags from the
/// source tables, in the foreground, and exits (0 on success). The admin API runs the same rebuild as a job.
/// </summary>
public static class AudienceCommand
{
    public static bool IsAudienceCommand(string[] args) => args.Length >= 1 && args[0] == "audience";

    public static async Task<int> RunAsync(IServiceProvider services, string[] args)
    {
        if (args is not [_, "rebuild-stats"])
        {
            await Console.Error.WriteLineAsync("usage: WeChatMall.Api audience rebuild-stats");
            return 2;
        }
        var rebuild = services.GetRequiredService<StatsRebuild>();
        var id = await rebuild.StartAsync(CancellationToken.None);
        await rebuild.RunAsync(id, CancellationToken.None);
        var done = await rebuild.FindAsync(id, CancellationToken.None);
        await Console.Out.WriteLineAsync($"audience rebuild {id}: {done?.Status}, {done?.Processed} members");
        return 0;
    }
}
