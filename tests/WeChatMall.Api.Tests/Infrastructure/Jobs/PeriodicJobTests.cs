using System.Collections.Concurrent;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using MySqlConnector;
using WeChatMall.Api.Infrastructure.Jobs;
using WeChatMall.Api.Tests.TestHost;

namespace WeChatMall.Api.Tests.Infrastructure.Jobs;

/// <summary>The shared job shape: switches, log-and-back-off on any exception, and the single-instance lease.</summary>
public sealed class PeriodicJobTests
{
    static ApiFactory Api => TestEnvironment.Api;

    /// <summary>Throws <paramref name="failFirst"/> times (not a MySqlException: any exception), then succeeds.</summary>
    sealed class ScriptedJob(JobServices services, string name, int failFirst, bool single = false) : PeriodicJob(services)
    {
        public ConcurrentQueue<DateTime> Runs { get; } = new();
        public int Successes;
        public override string Name => name;
        protected override TimeSpan DefaultInterval => TimeSpan.FromSeconds(30);
        protected override bool SingleInstance => single;

        protected override Task RunAsync(CancellationToken ct)
        {
            Runs.Enqueue(DateTime.UtcNow);
            if (Runs.Count <= failFirst) throw new InvalidOperationException("scripted failure");
            Interlocked.Increment(ref Successes);
            return Task.CompletedTask;
        }
    }

    static JobServices Services(IDictionary<string, string?> settings, JobLease? lease = null) => new(
        new ConfigurationBuilder().AddInMemoryCollection(settings).Build(),
        lease ?? NewLease(), TimeProvider.System, NullLogger<PeriodicJob>.Instance);

    static JobLease NewLease() => new(Api.Services.GetRequiredService<MySqlDataSource>(), TimeProvider.System);

    static string UniqueName() => "test-" + Guid.NewGuid().ToString("N")[..12];

    [Test]
    public async Task A_job_that_throws_any_exception_keeps_running_and_succeeds_later()
    {
        var name = UniqueName();
        var job = new ScriptedJob(Services(new Dictionary<string, string?>
        {
            [$"Jobs:{name}:Interval"] = "00:00:00.020",
            [$"Jobs:{name}:MaxBackoff"] = "00:00:00.050",
        }), name, failFirst: 3);
        await job.StartAsync(CancellationToken.None);
        try
        {
            var successes = await Eventually.MatchAsync(() => Task.FromResult(Volatile.Read(ref job.Successes)), n => n >= 2);
            Assert.That(successes, Is.GreaterThanOrEqualTo(2), "the job stopped after its failures");
            Assert.That(job.Runs, Has.Count.GreaterThanOrEqualTo(5));
        }
        finally { await job.StopAsync(CancellationToken.None); }
    }

    [Test]
    public void After_failures_the_wait_doubles_up_to_MaxBackoff_and_resets_after_a_success()
    {
        var name = UniqueName();
        var job = new ScriptedJob(Services(new Dictionary<string, string?>
        {
            [$"Jobs:{name}:Interval"] = "00:00:10",
            [$"Jobs:{name}:MaxBackoff"] = "00:01:00",
        }), name, failFirst: 0);
        Assert.Multiple(() =>
        {
            Assert.That(job.DelayAfter(0), Is.EqualTo(TimeSpan.FromSeconds(10)));
            Assert.That(job.DelayAfter(1), Is.EqualTo(TimeSpan.FromSeconds(20)));
            Assert.That(job.DelayAfter(2), Is.EqualTo(TimeSpan.FromSeconds(40)));
            Assert.That(job.DelayAfter(3), Is.EqualTo(TimeSpan.FromMinutes(1)));
            Assert.That(job.DelayAfter(50), Is.EqualTo(TimeSpan.FromMinutes(1)));
        });
    }

    [Test]
    public async Task Enabled_false_switches_the_job_off_and_the_default_interval_applies_without_a_setting()
    {
        var name = UniqueName();
        var off = new ScriptedJob(Services(new Dictionary<string, string?> { [$"Jobs:{name}:Enabled"] = "false" }), name, 0);
        Assert.That(off.Interval, Is.EqualTo(TimeSpan.FromSeconds(30)));
        await off.StartAsync(CancellationToken.None);
        await (off.ExecuteTask ?? Task.CompletedTask);
        await off.StopAsync(CancellationToken.None);
        Assert.That(off.Runs, Is.Empty);
        Assert.That(off.ExecuteTask?.IsCompletedSuccessfully, Is.True, "a switched-off job ends its loop at once");
    }

    [Test]
    public async Task Only_one_instance_holds_a_lease_until_it_lapses_or_is_released()
    {
        var name = UniqueName();
        var a = NewLease();
        var b = NewLease();
        Assert.That(a.Holder, Is.Not.EqualTo(b.Holder));

        Assert.That(await a.TryHoldAsync(name, TimeSpan.FromMinutes(5), default), Is.True);
        Assert.That(await b.TryHoldAsync(name, TimeSpan.FromMinutes(5), default), Is.False, "a live lease was taken over");
        Assert.That(await a.TryHoldAsync(name, TimeSpan.FromMinutes(5), default), Is.True, "the holder could not renew");

        await a.ReleaseAsync(name, default);
        Assert.That(await b.TryHoldAsync(name, TimeSpan.FromMilliseconds(1), default), Is.True, "a released lease was not free");
        await Task.Delay(20);
        Assert.That(await a.TryHoldAsync(name, TimeSpan.FromMinutes(5), default), Is.True, "a lapsed lease was not free");
        Assert.That(await Api.ScalarAsync<string>("SELECT holder FROM job_leases WHERE name = @name", new { name }), Is.EqualTo(a.Holder));
    }

    [Test]
    public async Task A_single_instance_job_runs_only_where_the_lease_is_held()
    {
        var name = UniqueName();
        var settings = new Dictionary<string, string?> { [$"Jobs:{name}:Interval"] = "00:00:00.020" };
        var first = new ScriptedJob(Services(settings), name, 0, single: true);
        var second = new ScriptedJob(Services(settings), name, 0, single: true);
        await first.StartAsync(CancellationToken.None);
        await Eventually.MatchAsync(() => Task.FromResult(first.Runs.Count), n => n >= 1);
        await second.StartAsync(CancellationToken.None);
        await Eventually.MatchAsync(() => Task.FromResult(first.Runs.Count), n => n >= 10);
        Assert.That(second.Runs, Is.Empty, "both instances ran a single-instance job");

        await first.StopAsync(CancellationToken.None); // gives the lease up
        var taken = await Eventually.MatchAsync(() => Task.FromResult(second.Runs.Count), n => n >= 1);
        await second.StopAsync(CancellationToken.None);
        Assert.That(taken, Is.GreaterThanOrEqualTo(1), "the second instance never took over after the first stopped");
    }
}
