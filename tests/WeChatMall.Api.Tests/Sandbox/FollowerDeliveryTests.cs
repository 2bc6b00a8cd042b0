using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using WeChatMall.Api.Tests.TestHost;
using WeChatMall.WeChat.OfficialAccount;

namespace WeChatMall.Api.Tests.Sandbox;

/// <summary>How the follower simulator treats a slow or wrong callback, against a small local receiver.</summary>
public sealed class FollowerDeliveryTests
{
    [Test]
    public async Task SlowCallback_IsResentIdentically_AfterTheTimeout()
    {
        await using var receiver = await LocalReceiver.StartAsync(async n =>
        {
            if (n == 0) await Task.Delay(1500);   // longer than the sandbox's timeout: WeChat gives up and re-sends
            return (200, "success");
        });
        await using var sandbox = await SandboxHost.StartAsync(new Dictionary<string, string?> { ["Sandbox:CallbackTimeoutMs"] = "500" });
        await sandbox.ConfigureAsync(callbackUrl: receiver.Url);

        var result = await (await sandbox.Client.PostAsJsonAsync("/sandbox/followers/o_sandbox_bob/text", new { content = "anyone?" }))
            .Content.ReadFromJsonAsync<JsonElement>();

        var requests = receiver.Requests.ToList();
        Assert.Multiple(() =>
        {
            Assert.That(result.GetProperty("status").GetString(), Is.EqualTo("no_reply"));
            Assert.That(result.GetProperty("attempts").GetInt32(), Is.EqualTo(2));
            Assert.That(requests, Has.Count.EqualTo(2));
            Assert.That(requests[1].Query, Is.EqualTo(requests[0].Query));
            Assert.That(requests[1].Body, Is.EqualTo(requests[0].Body));
        });
    }

    [Test]
    public async Task EncryptedReplyForAnotherAppId_IsNotShown()
    {
        var otherApp = new MessageCrypto(WeChatTestAccount.Token, WeChatTestAccount.EncodingAesKey, "wxsomeoneelse0001");
        await using var receiver = await LocalReceiver.StartAsync(_ =>
        {
            var reply = "<xml><ToUserName><![CDATA[o_sandbox_alice]]></ToUserName><FromUserName><![CDATA[" + WeChatTestAccount.OriginalId +
                        "]]></FromUserName><CreateTime>1</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[hi]]></Content></xml>";
            return Task.FromResult((200, otherApp.EncryptReply(reply, "1", "n").Xml));
        });
        await using var sandbox = await SandboxHost.StartAsync();
        await sandbox.ConfigureAsync(callbackUrl: receiver.Url, safeMode: true);

        var result = await (await sandbox.Client.PostAsJsonAsync("/sandbox/followers/o_sandbox_alice/text", new { content = "hi" }))
            .Content.ReadFromJsonAsync<JsonElement>();

        Assert.Multiple(async () =>
        {
            Assert.That(result.GetProperty("status").GetString(), Is.EqualTo("invalid_reply"));
            Assert.That(await sandbox.Client.GetFromJsonAsync<JsonElement[]>("/sandbox/messages?openid=o_sandbox_alice"), Is.Empty);
            Assert.That(Encoding.UTF8.GetString(receiver.Requests.Single().Body), Does.Contain("<Encrypt>"));
        });
    }
}
