using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;
using StackExchange.Redis.KeyspaceIsolation;
using WeChatMall.Api.Features.Campaigns;
using WeChatMall.Api.Tests.TestHost;

namespace WeChatMall.Api.Tests.Features.Campaigns;

/// <summary>The quota governor's batch take against the test Redis (keys under a prefix of the test's own).</summary>
public sealed class QuotaGovernorTests
{
    [Test]
    public async Task TakeMany_GrantsWhatTheMinuteAndTheDayAllow_AndSaysWhichLimitStoppedIt()
    {
        using var redis = await ConnectionMultiplexer.ConnectAsync(TestServers.Redis);
        var db = redis.GetDatabase().WithKeyPrefix($"t:quota:{Guid.NewGuid():N}:");
        var options = Options.Create(new CampaignOptions { Template = new() { PerMinute = 5, Daily = 8 } });
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 6, 10, 0, 20, TimeSpan.Zero));
        var quotas = new QuotaGovernor(db, options, clock);
        var ct = CancellationToken.None;

        var first = await quotas.TakeManyAsync(CampaignChannels.Template, 3, ct);
        var minuteShort = await quotas.TakeManyAsync(CampaignChannels.Template, 3, ct);
        var minuteFull = await quotas.TakeManyAsync(CampaignChannels.Template, 1, ct);
        var single = await quotas.TakeAsync(CampaignChannels.Template, ct);
        clock.Advance(TimeSpan.FromMinutes(1)); // a new minute's bucket; the day has 3 left
        var dayShort = await quotas.TakeManyAsync(CampaignChannels.Template, 4, ct);
        var daySpent = await quotas.TakeManyAsync(CampaignChannels.Template, 2, ct);
        var otherChannel = await quotas.TakeManyAsync(CampaignChannels.Text, 2, ct);

        Assert.Multiple(() =>
        {
            Assert.That(first, Is.EqualTo((3, QuotaGovernor.Outcome.Granted)));
            Assert.That(minuteShort, Is.EqualTo((2, QuotaGovernor.Outcome.MinuteFull)));
            Assert.That(minuteFull, Is.EqualTo((0, QuotaGovernor.Outcome.MinuteFull)));
            Assert.That(single, Is.EqualTo(QuotaGovernor.Outcome.MinuteFull));
            Assert.That(dayShort, Is.EqualTo((3, QuotaGovernor.Outcome.DaySpent)));
            Assert.That(daySpent, Is.EqualTo((0, QuotaGovernor.Outcome.DaySpent)));
            Assert.That(otherChannel, Is.EqualTo((2, QuotaGovernor.Outcome.Granted)));
        });
    }
}
