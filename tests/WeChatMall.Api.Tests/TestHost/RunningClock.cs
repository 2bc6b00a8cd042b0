using System.Diagnostics;
using Microsoft.Extensions.Time.Testing;

namespace WeChatMall.Api.Tests.TestHost;

/// <summary>
/// A clock that runs at real speed and can jump forward: a <see cref="FakeTimeProvider"/> advanced by the real time
/// elapsed every few milliseconds. <see cref="JumpAsync"/> moves it ahead at once and fires every timer and
/// <c>Task.Delay</c> due by then, so loops with shipped intervals (a minute, half an hour) wake as they would have.
/// Share one instance between the API instances and the sandbox, so WeChat Pay signatures stay fresh on both sides.
/// </summary>
public sealed class RunningClock : TimeProvider, IDisposable
{
    private readonly FakeTimeProvider fake = new(DateTimeOffset.UtcNow);
    private readonly Stopwatch real = Stopwatch.StartNew();
    private readonly Timer ticker;
    private readonly Lock gate = new();
    private TimeSpan followed;

    public RunningClock() => ticker = new Timer(_ => Follow(), null, TimeSpan.Zero, TimeSpan.FromMilliseconds(10));

    /// <summary>How far ahead of the real clock this one is.</summary>
    public TimeSpan Ahead { get; private set; }

    public override DateTimeOffset GetUtcNow() => fake.GetUtcNow();
    public override long GetTimestamp() => fake.GetTimestamp();
    public override long TimestampFrequency => fake.TimestampFrequency;
    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        => fake.CreateTimer(callback, state, dueTime, period);

    /// <summary>Moves the clock <paramref name="by"/> ahead, then gives the loops woken by it a moment to start.</summary>
    public async Task JumpAsync(TimeSpan by)
    {
        lock (gate) Ahead += by;
        fake.Advance(by);
        await Task.Yield();
    }

    private void Follow()
    {
        TimeSpan step;
        lock (gate)
        {
            var elapsed = real.Elapsed;
            step = elapsed - followed;
            followed = elapsed;
        }
        if (step > TimeSpan.Zero) fake.Advance(step);
    }

    public void Dispose() => ticker.Dispose();
}
