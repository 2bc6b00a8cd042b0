using WeChatMall.WeChat.Api;

namespace WeChatMall.WeChat.Tests.Api;

internal sealed class OfficialAccountUserTagTests : StubbedClientTests<OfficialAccountClient>
{
    [Test]
    public async Task UntagUsers_TwoOpenIds_PostsBatchUntagging()
    {
        await Client.UntagUsersAsync(134, ["o1", "o2"], default);

        Assert.That((Sent.Method, Sent.Path), Is.EqualTo(("POST", "/cgi-bin/tags/members/batchuntagging")));
        AssertJson(Sent, """{"openid_list":["o1","o2"],"tagid":134}""");
    }

    [Test]
    public void UntagUsers_51OpenIds_Rejected()
        => Assert.ThrowsAsync<ArgumentException>(() => Client.UntagUsersAsync(1, Enumerable.Range(0, 51).Select(i => $"o{i}").ToArray(), default));

    [Test]
    public async Task TagUsers_WeChatSaysUserHasTooManyTags_ThrowsWithErrcode45059()
    {
        _stub.Respond = r => r.Path == "/cgi-bin/tags/members/batchtagging" ? (200, """{"errcode":45059,"errmsg":"has too many tags"}""") : null;

        var ex = Assert.ThrowsAsync<WeChatApiException>(() => Client.TagUsersAsync(134, ["o1"], default));

        Assert.That(ex!.Errcode, Is.EqualTo(45059));
    }
}
