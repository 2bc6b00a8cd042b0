using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using WeChatMall.Api.Tests.TestHost;
using WeChatMall.WeChat.Api;

namespace WeChatMall.Api.Tests.Sandbox;

/// <summary>Injected failures against our real OA client: it must retry and recover the way WeChat expects.</summary>
[NonParallelizable]
public sealed class SandboxFaultTests : SandboxClientFixture
{
    private OfficialAccountClient Client => services.GetRequiredService<OfficialAccountClient>();

    [SetUp]
    public async Task ResetAsync()
    {
        await sandbox.Client.DeleteAsync("/sandbox/faults");
        await sandbox.Client.DeleteAsync("/sandbox/calls");
    }

    private Task InjectAsync(object fault) => sandbox.Client.PostAsJsonAsync("/sandbox/faults", fault);

    private async Task<JsonElement[]> CallsAsync(string route) =>
        (await sandbox.Client.GetFromJsonAsync<JsonElement[]>($"/sandbox/calls?route={route}"))!;

    [Test]
    public async Task InvalidToken40001Once_ClientRefreshesTheTokenAndRetriesOnce()
    {
        await Client.GetUserInfoAsync("o_sandbox_alice", CancellationToken.None);   // token cached
        await sandbox.Client.DeleteAsync("/sandbox/calls");
        await InjectAsync(new { route = "/cgi-bin/user/info", count = 1, errcode = 40001 });

        var info = await Client.GetUserInfoAsync("o_sandbox_bob", CancellationToken.None);

        var userInfo = await CallsAsync("/cgi-bin/user/info");
        Assert.Multiple(async () =>
        {
            Assert.That(info.OpenId, Is.EqualTo("o_sandbox_bob"));
            Assert.That(userInfo, Has.Length.EqualTo(2));
            Assert.That(userInfo[0].GetProperty("fault").GetString(), Is.EqualTo("errcode 40001"));
            Assert.That(await CallsAsync("/cgi-bin/stable_token"), Has.Length.EqualTo(1));
        });
    }

    [Test]
    public async Task SystemBusyTwice_ClientRetriesAndSucceeds()
    {
        await InjectAsync(new { route = "/cgi-bin/user/info", count = 2, errcode = -1 });

        var info = await Client.GetUserInfoAsync("o_sandbox_carol", CancellationToken.None);

        Assert.Multiple(async () =>
        {
            Assert.That(info.OpenId, Is.EqualTo("o_sandbox_carol"));
            Assert.That(await CallsAsync("/cgi-bin/user/info"), Has.Length.EqualTo(3));
        });
    }

    [Test]
    public async Task Http503OnAGet_TransportRetryRecovers()
    {
        await Client.GetUserInfoAsync("o_sandbox_alice", CancellationToken.None);
        await InjectAsync(new { route = "/cgi-bin/user/info", count = 1, httpStatus = 503 });

        var info = await Client.GetUserInfoAsync("o_sandbox_alice", CancellationToken.None);

        var calls = await CallsAsync("/cgi-bin/user/info");
        Assert.Multiple(() =>
        {
            Assert.That(info.OpenId, Is.EqualTo("o_sandbox_alice"));
            Assert.That(calls.Select(c => c.GetProperty("status").GetInt32()), Is.EqualTo(new[] { 200, 503, 200 }));
        });
    }

    [Test]
    public async Task QuotaExceeded45009_IsNotRetried_AndNothingIsDelivered_ThenTheNextSendGoesThrough()
    {
        var openId = WeChatTestAccount.NewOpenId();
        await InjectAsync(new { route = "/cgi-bin/message/custom/send", count = 1, errcode = 45009 });

        var ex = Assert.ThrowsAsync<WeChatApiException>(() => Client.SendCustomTextAsync(openId, "first", CancellationToken.None));
        await Client.SendCustomTextAsync(openId, "second", CancellationToken.None);

        var delivered = await sandbox.Client.GetFromJsonAsync<JsonElement[]>($"/sandbox/messages?openid={openId}");
        Assert.Multiple(async () =>
        {
            Assert.That(ex!.Kind, Is.EqualTo(WeChatErrorKind.QuotaExceeded));
            Assert.That(await CallsAsync("/cgi-bin/message/custom/send"), Has.Length.EqualTo(2));
            Assert.That(delivered!.Select(m => m.GetProperty("content").GetString()), Is.EqualTo(new[] { "second" }));
        });
    }

    [Test]
    public async Task Delay_SlowsTheCallDown_ButLetsItThrough()
    {
        await Client.GetUserInfoAsync("o_sandbox_alice", CancellationToken.None);
        await InjectAsync(new { route = "/cgi-bin/user/info", count = 1, delayMs = 400 });

        var watch = Stopwatch.StartNew();
        var info = await Client.GetUserInfoAsync("o_sandbox_alice", CancellationToken.None);

        Assert.Multiple(async () =>
        {
            Assert.That(info.OpenId, Is.EqualTo("o_sandbox_alice"));
            // Task.Delay may wake a millisecond or so before the Stopwatch says 400: allow timer granularity.
            Assert.That(watch.ElapsedMilliseconds, Is.GreaterThanOrEqualTo(380));
            Assert.That((await CallsAsync("/cgi-bin/user/info")).Last().GetProperty("fault").GetString(), Is.EqualTo("delay 400ms"));
        });
    }

    [Test]
    public async Task Fault_WithoutAnAction_Returns400()
    {
        var response = await sandbox.Client.PostAsJsonAsync("/sandbox/faults", new { route = "/cgi-bin/token", count = 1 });

        Assert.That((int)response.StatusCode, Is.EqualTo(400));
    }
}
