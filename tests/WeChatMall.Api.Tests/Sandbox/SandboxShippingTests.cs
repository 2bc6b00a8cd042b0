using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using WeChatMall.Api.Tests.TestHost;
using WeChatMall.WeChat.MiniProgram;

namespace WeChatMall.Api.Tests.Sandbox;

/// <summary>The sandbox's wxa/sec/order/upload_shipping_info: token and app checked, fields validated, calls recorded.</summary>
public sealed class SandboxShippingTests
{
    private SandboxHost sandbox = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => sandbox = await SandboxHost.StartAsync();

    [OneTimeTearDown]
    public async Task StopAsync() => await sandbox.DisposeAsync();

    private async Task<string> TokenAsync(string appId, string secret) =>
        (await sandbox.Client.GetFromJsonAsync<JsonElement>($"/cgi-bin/token?grant_type=client_credential&appid={appId}&secret={secret}"))
            .GetProperty("access_token").GetString()!;

    private async Task<int> PostAsync(string? token, object body)
    {
        var response = await sandbox.Client.PostAsJsonAsync($"/wxa/sec/order/upload_shipping_info?access_token={token}", body);
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();
        return json.GetProperty("errcode").GetInt32();
    }

    static object Body(object? payer = null, string? trackingNo = "SF123", string uploadTime = "2026-11-22T10:00:00.000+08:00") => new
    {
        order_key = new { order_number_type = 2, transaction_id = "4200000000000000001" },
        logistics_type = 1,
        delivery_mode = 1,
        shipping_list = new[] { new { tracking_no = trackingNo, express_company = "SF", item_desc = "T-shirt x2" } },
        upload_time = uploadTime,
        payer = payer ?? new { openid = "o_payer" },
    };

    [Test]
    public async Task Upload_ChecksTokenAppAndFields()
    {
        var mini = await TokenAsync(SandboxHost.MiniProgramAppId, SandboxHost.MiniProgramSecret);
        var oa = await TokenAsync(WeChatTestAccount.AppId, SandboxHost.OaSecret);

        Assert.Multiple(async () =>
        {
            Assert.That(await PostAsync(null, Body()), Is.EqualTo(41001), "no token");
            Assert.That(await PostAsync(oa, Body()), Is.EqualTo(48001), "the Official Account's token");
            Assert.That(await PostAsync(mini, Body(payer: new { openid = "" })), Is.EqualTo(47001));
            Assert.That(await PostAsync(mini, Body(trackingNo: null)), Is.EqualTo(47001), "express needs a tracking number");
            Assert.That(await PostAsync(mini, Body(uploadTime: "2026-11-22 10:00:00")), Is.EqualTo(47001));
            Assert.That(await PostAsync(mini, Body()), Is.Zero);
        });
    }

    [Test]
    public async Task Upload_ThroughOurLibrary_IsAcceptedAndRecorded()
    {
        await sandbox.Client.DeleteAsync("/sandbox/calls");
        await using var services = SandboxClients.WeChat(sandbox);
        var client = services.GetRequiredService<MiniProgramClient>();

        await client.UploadShippingInfoAsync(new ShippingInfo(ShippingOrderKey.ByOutTradeNo(SandboxHost.MchId, "202611220000001234567890"),
            LogisticsType.Express, DeliveryMode.Unified, [new ShippingPackage("Mug", "YT0001", "YTO", "139****0000")],
            DateTimeOffset.UtcNow, "o_payer_lib"), CancellationToken.None);

        var calls = (await sandbox.Client.GetFromJsonAsync<JsonElement[]>("/sandbox/calls?route=/wxa/sec/order/upload_shipping_info"))!;
        Assert.That(calls, Has.Length.EqualTo(1));
        var body = JsonDocument.Parse(calls[0].GetProperty("body").GetString()!).RootElement;
        Assert.Multiple(() =>
        {
            Assert.That(body.GetProperty("order_key").GetProperty("order_number_type").GetInt32(), Is.EqualTo(1));
            Assert.That(body.GetProperty("order_key").GetProperty("mchid").GetString(), Is.EqualTo(SandboxHost.MchId));
            Assert.That(body.GetProperty("order_key").GetProperty("out_trade_no").GetString(), Is.EqualTo("202611220000001234567890"));
            Assert.That(body.GetProperty("payer").GetProperty("openid").GetString(), Is.EqualTo("o_payer_lib"));
        });
    }
}
