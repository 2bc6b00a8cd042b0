using Microsoft.Extensions.DependencyInjection;
using WeChatMall.WeChat.Api;

namespace WeChatMall.Api.Tests.Sandbox;

/// <summary>The sandbox enforces WeChat's user-tag limits: 20 tags per user, 100 per account, 50 openids per call.</summary>
public sealed class SandboxUserTagTests : SandboxClientFixture
{
    private OfficialAccountClient Oa => services.GetRequiredService<OfficialAccountClient>();

    [Test]
    public async Task UserTags_21stTagOnAUser_Refused45059_100TagsPerAccount_Refused45056()
    {
        const string user = "o_sandbox_alice";
        var ids = new List<long>();
        for (var i = 0; i < 21; i++) ids.Add(await Oa.CreateTagAsync($"t{i}-{Guid.NewGuid():N}"[..20], CancellationToken.None));
        foreach (var id in ids.Take(20)) await Oa.TagUsersAsync(id, [user], CancellationToken.None);
        await Oa.TagUsersAsync(ids[0], [user], CancellationToken.None); // a tag the user already has is not a 21st

        var tooMany = Assert.ThrowsAsync<WeChatApiException>(() => Oa.TagUsersAsync(ids[20], [user, "o_sandbox_bob"], CancellationToken.None));
        for (var i = 21; i < 100; i++) await Oa.CreateTagAsync($"t{i}-{Guid.NewGuid():N}"[..20], CancellationToken.None);
        var full = Assert.ThrowsAsync<WeChatApiException>(() => Oa.CreateTagAsync("one-too-many", CancellationToken.None));

        Assert.Multiple(() =>
        {
            Assert.That(tooMany!.Errcode, Is.EqualTo(45059));
            Assert.That(full!.Errcode, Is.EqualTo(45056));
        });
    }
}
