namespace WeChatMall.Api.Infrastructure.Jobs;

/// <summary>
/// The one shape of a background job: every <c>Jobs:&lt;Name&gt;:Interval</c> it runs <see cref="RunAsync"/>; any
/// exception is logged and the next attempt backs off (doubling up to MaxBackoff), so a job never stops the host
/// and never stops itself. <c>Jobs:&lt;Name&gt;:Enabled=false</c> switches it off in this instance. A job whose
/// <see cref="SingleInstance"/> is true runs only in the instance holding its <see cref="JobLease"/>.
/// </summary>
public abstract class PeriodicJob(JobServices services) : BackgroundService
{
    /// <summary>The name in configuration (<c>Jobs:{Name}</c>), in logs and in the lease table.</summary>
    public abstract string Name { get; }

    protected abstract TimeSpan DefaultInterval { get; }

    /// <summary>True for jobs that must not run in two instances at once.</summary>
    protected virtual bool SingleInstance => false;

    /// <summary>One pass. Exceptions are the base class's business: log-and-back-off.</summary>
    protected abstract Task RunAsync(CancellationToken ct);

    public JobSettings Settings => services.SettingsFor(Name);

    public TimeSpan Interval => Settings.Interval is { } i && i > TimeSpan.Zero ? i : DefaultInterval;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!Settings.Enabled)
        {
            JobLog.Disabled(services.Logger, Name);
            return;
        }
        var failures = 0;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    if (!SingleInstance || await services.Lease.TryHoldAsync(Name, LeaseLength, stoppingToken))
                        await RunAsync(stoppingToken);
                    failures = 0;
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { return; }
                catch (Exception ex)
                {
                    failures++;
                    JobLog.Failed(services.Logger, ex, Name, failures, DelayAfter(failures));
                }
                await Task.Delay(DelayAfter(failures), services.Clock, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { }
        finally
        {
            if (SingleInstance) await ReleaseQuietlyAsync();
        }
    }

    /// <summary>Long enough to cover a run and the wait after it; renewed every round by the holder.</summary>
    TimeSpan LeaseLength => Interval * 3 + TimeSpan.FromMinutes(1);

    public TimeSpan DelayAfter(int failures)
    {
        if (failures == 0) return Interval;
        var backoff = Interval * Math.Pow(2, Math.Min(failures, 16));
        var max = Settings.MaxBackoff > Interval ? Settings.MaxBackoff : Interval;
        return backoff < max ? backoff : max;
    }

    async Task ReleaseQuietlyAsync()
    {
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await services.Lease.ReleaseAsync(Name, cts.Token);
        }
        catch (Exception ex)
        {
            JobLog.ReleaseFailed(services.Logger, ex, Name);
        }
    }
}

/// <summary>What every job needs from the host, in one constructor argument.</summary>
public sealed class JobServices(IConfiguration configuration, JobLease lease, TimeProvider clock, ILogger<PeriodicJob> logger)
{
    public JobLease Lease { get; } = lease;
    public TimeProvider Clock { get; } = clock;
    public ILogger Logger { get; } = logger;

    public JobSettings SettingsFor(string name) =>
        configuration.GetSection($"{JobSettings.SectionName}:{name}").Get<JobSettings>() ?? new JobSettings();
}

static partial class JobLog
{
    [LoggerMessage(9501, LogLevel.Error, "Job {Job} failed ({Failures} in a row); next attempt in {Delay}")]
    public static partial void Failed(ILogger logger, Exception ex, string job, int failures, TimeSpan delay);

    [LoggerMessage(9502, LogLevel.Information, "Job {Job} is switched off in this instance (Jobs:{Job}:Enabled=false)")]
    public static partial void Disabled(ILogger logger, string job);

    [LoggerMessage(9503, LogLevel.Warning, "Job {Job} could not give its lease up on shutdown; another instance takes it when it lapses")]
    public static partial void ReleaseFailed(ILogger logger, Exception ex, string job);
}
