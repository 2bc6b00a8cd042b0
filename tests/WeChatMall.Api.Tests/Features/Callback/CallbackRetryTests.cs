using WeChatMall.Api.Tests.TestHost;
using static WeChatMall.Api.Tests.Features.Callback.CallbackTestData;

namespace WeChatMall.Api.Tests.Features.Callback;

public sealed class CallbackRetryTests
{
    [Test]
    public async Task SameMsgId_ConcurrentlyOnTwoInstances_GetsIdenticalReplies_AndIsLoggedOnce()
    {
        var keyword = Unique("retry");
        // Ten random replies: two independent handlings would almost surely differ.
        await CreateRuleAsync(TestEnvironment.Api, TextRule("keyword", keyword, match: "exact",
            replies: Enumerable.Range(1, 10).Select(i => $"reply {i}").ToArray()));
        await using var second = TestEnvironment.Api.StartSibling();
        using var a = TestEnvironment.Api.CreateClient();
        using var b = second.CreateClient();
        var openId = WeChatTestAccount.NewOpenId();
        var xml = WeChatTestAccount.Text(openId, keyword, WeChatTestAccount.NewMsgId());
        var url = WeChatTestAccount.PlainUrl(openId); // a retry repeats the same request

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            (i % 2 == 0 ? a : b).PostAsync(url, WeChatTestAccount.XmlContent(xml))));
        var replies = await Task.WhenAll(responses.Select(r => r.Content.ReadAsStringAsync()));
        await TestEnvironment.Api.DrainCallbackEventsAsync();
        await second.DrainCallbackEventsAsync();
        var logged = await TestEnvironment.Api.ScalarAsync<long>("SELECT COUNT(*) FROM follower_messages WHERE openid = @openId", new { openId });

        Assert.Multiple(() =>
        {
            Assert.That(replies.Select(Content).Distinct().Count(), Is.EqualTo(1), string.Join(" | ", replies));
            Assert.That(Content(replies[0]), Does.StartWith("reply "));
            Assert.That(logged, Is.EqualTo(1));
        });
    }
}
