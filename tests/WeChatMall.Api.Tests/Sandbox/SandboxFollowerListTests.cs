using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using WeChatMall.WeChat.Api;

namespace WeChatMall.Api.Tests.Sandbox;

/// <summary>
/// The sandbox's follower list, menu limits and mid-sequence faults, through our real OA client where WeChat's API
/// is played: what the channels tests rely on, checked on its own.
/// </summary>
[NonParallelizable]
public sealed class SandboxFollowerListTests : SandboxClientFixture
{
    OfficialAccountClient Client => services.GetRequiredService<OfficialAccountClient>();

    [Test]
    public async Task UserGet_PagesFollowersInOrder_EndsWithAnEmptyPage_UnsubscribedLeftOut()
    {
        (await sandbox.Client.PutAsJsonAsync("/sandbox/followers/paging", new { pageSize = 2 })).EnsureSuccessStatusCode();
        (await sandbox.Client.PostAsJsonAsync("/sandbox/followers/bulk", new { prefix = "o_list_", count = 3 })).EnsureSuccessStatusCode();
        (await sandbox.Client.PostAsJsonAsync("/sandbox/followers/o_list_000001/unsubscribe", new { })).EnsureSuccessStatusCode();

        var first = await Client.GetFollowerPageAsync(null, CancellationToken.None);
        var second = await Client.GetFollowerPageAsync(first.NextOpenId, CancellationToken.None);
        var users = await Client.BatchGetUserInfoAsync([.. first.OpenIds], CancellationToken.None);
        (await sandbox.Client.PutAsJsonAsync("/sandbox/followers/paging", new { pageSize = 10_000 })).EnsureSuccessStatusCode();

        Assert.Multiple(() =>
        {
            Assert.That((first.Total, first.Count), Is.EqualTo((2L, 2)));
            Assert.That(first.OpenIds, Is.EqualTo(new[] { "o_list_000000", "o_list_000002" }));
            Assert.That(first.NextOpenId, Is.EqualTo("o_list_000002"));
            Assert.That((second.Count, second.OpenIds.Count, second.NextOpenId), Is.EqualTo((0, 0, "")), "the list ends with an empty page");
            Assert.That(users.Select(u => (u.OpenId, u.Subscribed, u.UnionId)),
                Is.EqualTo(new[] { ("o_list_000000", true, "uo_list_000000"), ("o_list_000002", true, "uo_list_000002") }));
        });
    }

    [Test]
    public async Task Fault_WithSkip_LetsCallsThroughThenFails()
    {
        await sandbox.Client.PostAsJsonAsync("/sandbox/faults", new { route = "/cgi-bin/user/get", skip = 1, errcode = 45009 });

        await Client.GetFollowerPageAsync(null, CancellationToken.None);
        var second = Assert.ThrowsAsync<WeChatApiException>(() => Client.GetFollowerPageAsync(null, CancellationToken.None));
        await Client.GetFollowerPageAsync(null, CancellationToken.None);

        Assert.That(second!.Errcode, Is.EqualTo(45009));
    }

    [TestCase("""{"button":[{"type":"click","name":"一二三四五六","key":"K"}]}""", 40018)]
    [TestCase("""{"button":[{"name":"m","sub_button":[{"type":"click","name":"x","key":"K"},{"type":"click","name":"x","key":"K"},{"type":"click","name":"x","key":"K"},{"type":"click","name":"x","key":"K"},{"type":"click","name":"x","key":"K"},{"type":"click","name":"x","key":"K"}]}]}""", 40016)]
    [TestCase("""{"button":[{"type":"click","name":"k"}]}""", 40019)]
    [TestCase("""{"button":[{"type":"view","name":"v","url":"ftp://x"}]}""", 40055)]
    [TestCase("""{"button":[{"type":"telephone","name":"t"}]}""", 40017)]
    public async Task MenuCreate_BreaksAWeChatLimit_RefusedWithItsErrcode(string menu, int errcode)
    {
        using var body = new StringContent(menu, System.Text.Encoding.UTF8, "application/json");
        var r = await sandbox.Client.PutAsync("/sandbox/menu", body);
        var json = await r.Content.ReadFromJsonAsync<JsonElement>();
        Assert.That((r.StatusCode, json.GetProperty("errcode").GetInt32()), Is.EqualTo((HttpStatusCode.BadRequest, errcode)));
    }
}
