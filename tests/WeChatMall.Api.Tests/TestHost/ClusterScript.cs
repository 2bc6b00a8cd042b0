using System.Diagnostics;

namespace WeChatMall.Api.Tests.TestHost;

/// <summary>
/// scripts/cluster.sh, for the fault tests that kill and restart nodes of the scale-out cluster (category
/// ClusterFaults). scripts/cluster-test.sh (scripts/test.sh --cluster, scripts/faults.sh) points the tests at the
/// cluster and sets WECHATMALL_CLUSTER_SCRIPT; in the normal run these tests are skipped.
/// </summary>
public static class ClusterScript
{
    public const string Category = "ClusterFaults";

    static string? Path => Environment.GetEnvironmentVariable("WECHATMALL_CLUSTER_SCRIPT");

    /// <summary>Skips the calling test unless the run targets the cluster.</summary>
    public static void Require()
    {
        if (string.IsNullOrEmpty(Path))
            Assert.Ignore("Needs the scale-out cluster: run scripts/faults.sh or scripts/test.sh --cluster (docs/scale-out.md).");
    }

    /// <summary>The Galera nodes themselves (host:port), not HAProxy in front of them.</summary>
    public static string[] GaleraNodes =>
        (Environment.GetEnvironmentVariable("WECHATMALL_TEST_GALERA_NODES") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries);

    public static async Task<string> RunAsync(params string[] args)
    {
        var start = new ProcessStartInfo("bash") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path!);
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(3));
        var output = await stdout + await stderr;
        if (process.ExitCode != 0) throw new InvalidOperationException($"cluster.sh {string.Join(' ', args)} failed ({process.ExitCode}): {output}");
        return output;
    }
}
