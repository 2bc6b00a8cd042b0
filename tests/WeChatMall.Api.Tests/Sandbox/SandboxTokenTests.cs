using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using WeChatMall.Api.Tests.TestHost;

namespace WeChatMall.Api.Tests.Sandbox;

public sealed class SandboxTokenTests
{
    private readonly FakeTimeProvider time = new(DateTimeOffset.UtcNow);
    private SandboxHost sandbox = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => sandbox = await SandboxHost.StartAsync(time: time);

    [OneTimeTearDown]
    public async Task StopAsync() => await sandbox.DisposeAsync();

    private async Task<JsonElement> NormalTokenAsync(string secret = SandboxHost.OaSecret) =>
        await sandbox.Client.GetFromJsonAsync<JsonElement>(
            $"/cgi-bin/token?grant_type=client_credential&appid={WeChatTestAccount.AppId}&secret={secret}");

    private async Task<JsonElement> StableTokenAsync(bool force = false) =>
        await (await sandbox.Client.PostAsJsonAsync("/cgi-bin/stable_token", new
        {
            grant_type = "client_credential", appid = WeChatTestAccount.AppId, secret = SandboxHost.OaSecret, force_refresh = force,
        })).Content.ReadFromJsonAsync<JsonElement>();

    private async Task<int> ErrcodeWithAsync(JsonElement token)
    {
        var info = await sandbox.Client.GetFromJsonAsync<JsonElement>(
            $"/cgi-bin/user/info?access_token={token.GetProperty("access_token").GetString()}&openid=o_sandbox_alice");
        return info.TryGetProperty("errcode", out var e) ? e.GetInt32() : 0;
    }

    [Test]
    public async Task NormalToken_EachCallIssuesANewOne_ThePreviousWorksFiveMoreMinutesThen40001()
    {
        var first = await NormalTokenAsync();
        var second = await NormalTokenAsync();

        var firstRightAway = await ErrcodeWithAsync(first);
        time.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(1));

        Assert.Multiple(async () =>
        {
            Assert.That(second.GetProperty("access_token").GetString(), Is.Not.EqualTo(first.GetProperty("access_token").GetString()));
            Assert.That(second.GetProperty("expires_in").GetInt32(), Is.EqualTo(7200));
            Assert.That(firstRightAway, Is.EqualTo(0));
            Assert.That(await ErrcodeWithAsync(first), Is.EqualTo(40001));
            Assert.That(await ErrcodeWithAsync(second), Is.EqualTo(0));
        });
    }

    [Test]
    public async Task StableToken_ReturnsTheSameTokenWithRemainingLife_ForceRefreshReplacesItAtOnce()
    {
        var first = await StableTokenAsync();
        time.Advance(TimeSpan.FromSeconds(100));
        var again = await StableTokenAsync();
        var forced = await StableTokenAsync(force: true);

        Assert.Multiple(async () =>
        {
            Assert.That(again.GetProperty("access_token").GetString(), Is.EqualTo(first.GetProperty("access_token").GetString()));
            Assert.That(again.GetProperty("expires_in").GetInt32(), Is.EqualTo(first.GetProperty("expires_in").GetInt32() - 100));
            Assert.That(forced.GetProperty("access_token").GetString(), Is.Not.EqualTo(first.GetProperty("access_token").GetString()));
            Assert.That(await ErrcodeWithAsync(first), Is.EqualTo(40001));
            Assert.That(await ErrcodeWithAsync(forced), Is.EqualTo(0));
        });
    }

    [Test]
    public async Task StableToken_IsNotInvalidatedByTheNormalEndpoint_AndExpiresWith42001()
    {
        var stable = await StableTokenAsync(force: true);
        await NormalTokenAsync();
        await NormalTokenAsync();
        var afterNormalCalls = await ErrcodeWithAsync(stable);

        time.Advance(TimeSpan.FromSeconds(7201));

        Assert.Multiple(async () =>
        {
            Assert.That(afterNormalCalls, Is.EqualTo(0));
            Assert.That(await ErrcodeWithAsync(stable), Is.EqualTo(42001));
        });
    }

    [Test]
    public async Task Token_WithWrongSecret_Returns40125()
    {
        var answer = await NormalTokenAsync(secret: "wrong");

        Assert.That(answer.GetProperty("errcode").GetInt32(), Is.EqualTo(40125));
    }
}
