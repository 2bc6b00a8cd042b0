using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using WeChatMall.Api.Tests.TestHost;

namespace WeChatMall.Api.Tests.Sandbox;

public sealed class SandboxPhoneNumberTests
{
    [Test]
    public async Task PhoneNumber_WatermarkTimestamp_IsTheSandboxClock()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2031, 5, 6, 7, 8, 9, TimeSpan.Zero));
        await using var sandbox = await SandboxHost.StartAsync(time: time);
        var token = (await (await sandbox.Client.PostAsJsonAsync("/cgi-bin/stable_token", new
        {
            grant_type = "client_credential", appid = SandboxHost.MiniProgramAppId, secret = SandboxHost.MiniProgramSecret,
        })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("access_token").GetString();
        var code = (await (await sandbox.Client.PostAsJsonAsync("/sandbox/miniprogram/phone-codes", new { purePhoneNumber = "13800138000" }))
            .Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString();

        var answer = await (await sandbox.Client.PostAsJsonAsync($"/wxa/business/getuserphonenumber?access_token={token}", new { code }))
            .Content.ReadFromJsonAsync<JsonElement>();

        var watermark = answer.GetProperty("phone_info").GetProperty("watermark");
        Assert.That(watermark.GetProperty("timestamp").GetInt64(), Is.EqualTo(time.GetUtcNow().ToUnixTimeSeconds()));
        Assert.That(watermark.GetProperty("appid").GetString(), Is.EqualTo(SandboxHost.MiniProgramAppId));
    }
}
