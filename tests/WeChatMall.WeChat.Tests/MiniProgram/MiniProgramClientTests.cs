using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using WeChatMall.WeChat.Api;
using WeChatMall.WeChat.MiniProgram;

namespace WeChatMall.WeChat.Tests.MiniProgram;

internal sealed class MiniProgramClientTests : StubbedClientTests<MiniProgramClient>
{
    [Test]
    public async Task Code2Session_ValidCode_SendsMiniProgramCredentials()
    {
        _stub.Respond = r => r.Path == "/sns/jscode2session" ? (200, """{"openid":"mo1","session_key":"SK==","unionid":"u1"}""") : null;
        var session = await Client.Code2SessionAsync("JSCODE", default);

        Assert.That((Sent.Method, Sent.Query["appid"], Sent.Query["secret"], Sent.Query["js_code"], Sent.Query["grant_type"]),
            Is.EqualTo(("GET", WeChatTestHost.MpAppId, "mp-secret", "JSCODE", "authorization_code")));
        Assert.That(session, Is.EqualTo(new MiniProgramSession("mo1", "SK==", "u1")));
    }

    [Test]
    public void Code2Session_InvalidCode_ThrowsInvalidCode()
    {
        _stub.Respond = r => (200, """{"errcode":40029,"errmsg":"invalid code"}""");
        var ex = Assert.ThrowsAsync<WeChatApiException>(() => Client.Code2SessionAsync("bad", default));
        Assert.That((ex!.Errcode, ex.Kind), Is.EqualTo((40029, WeChatErrorKind.InvalidCode)));
    }

    [Test]
    public async Task GetPhoneNumber_CodeInBody_ReturnsNumberWithNumericCountryCode()
    {
        _stub.Respond = r => r.Path == "/wxa/business/getuserphonenumber" ? (200, """
            {"errcode":0,"errmsg":"ok","phone_info":{"phoneNumber":"13800138000","purePhoneNumber":"13800138000","countryCode":86,
             "watermark":{"timestamp":1637744274,"appid":"MPAPPID"}}}
            """.Replace("MPAPPID", WeChatTestHost.MpAppId)) : null;
        var phone = await Client.GetPhoneNumberAsync("PHONECODE", default);

        Assert.That((Sent.Method, Sent.Query.ContainsKey("code"), Sent.Query["access_token"]), Is.EqualTo(("POST", false, "TOKEN-1")));
        AssertJson(Sent, """{"code":"PHONECODE"}""");
        Assert.That(phone, Is.EqualTo(new PhoneNumberInfo("13800138000", "13800138000", "86")));
        Assert.That(_stub.Requests.First().Body, Does.Contain(WeChatTestHost.MpAppId));
    }

    [Test]
    public void GetPhoneNumber_WatermarkOfOtherApp_ThrowsInvalidResponse()
    {
        _stub.Respond = r => r.Path == "/wxa/business/getuserphonenumber" ? (200, """
            {"errcode":0,"errmsg":"ok","phone_info":{"phoneNumber":"13800138000","watermark":{"appid":"wxSOMEONEELSE"}}}
            """) : null;
        var ex = Assert.ThrowsAsync<WeChatApiException>(() => Client.GetPhoneNumberAsync("PHONECODE", default));
        Assert.That(ex!.Kind, Is.EqualTo(WeChatErrorKind.InvalidResponse));
    }

    [Test]
    public async Task SendSubscribeMessage_Always_PostsDataValues()
    {
        await Client.SendSubscribeMessageAsync(new SubscribeMessage("mo1", "TID",
            new Dictionary<string, string> { ["thing1"] = "订单已发货", ["amount4"] = "¥99.00" }, "pages/order/detail?id=1", "formal", "zh_CN"), default);

        Assert.That(Sent.Path, Is.EqualTo("/cgi-bin/message/subscribe/send"));
        AssertJson(Sent, """
            {"touser":"mo1","template_id":"TID","page":"pages/order/detail?id=1","miniprogram_state":"formal","lang":"zh_CN",
             "data":{"thing1":{"value":"订单已发货"},"amount4":{"value":"¥99.00"}}}
            """);
    }

    [Test]
    public async Task UploadShippingInfo_ByTransactionId_PostsDocumentedShape()
    {
        await Client.UploadShippingInfoAsync(new ShippingInfo(
            ShippingOrderKey.ByTransactionId("4200000000000000000000000001"), LogisticsType.Express, DeliveryMode.Unified,
            [new ShippingPackage("微信红包抱枕*1个", "323244567777", "SF", ReceiverContact: "189****1234")],
            DateTimeOffset.Parse("2022-12-15T13:29:35.120+08:00"), "mo1"), default);

        Assert.That(Sent.Path, Is.EqualTo("/wxa/sec/order/upload_shipping_info"));
        AssertJson(Sent, """
            {"order_key":{"order_number_type":2,"transaction_id":"4200000000000000000000000001"},
             "logistics_type":1,"delivery_mode":1,
             "shipping_list":[{"tracking_no":"323244567777","express_company":"SF","item_desc":"微信红包抱枕*1个",
                               "contact":{"receiver_contact":"189****1234"}}],
             "upload_time":"2022-12-15T13:29:35.120+08:00","payer":{"openid":"mo1"}}
            """);
    }

    [Test]
    public async Task UploadShippingInfo_SplitByOutTradeNo_SendsMchIdAndAllDelivered()
    {
        await Client.UploadShippingInfoAsync(new ShippingInfo(
            ShippingOrderKey.ByOutTradeNo("1230000109", "ORDER-1"), LogisticsType.Virtual, DeliveryMode.Split,
            [new ShippingPackage("充值卡")], DateTimeOffset.Parse("2024-05-20T05:29:36Z"), "mo1", IsAllDelivered: false), default);

        AssertJson(Sent, """
            {"order_key":{"order_number_type":1,"mchid":"1230000109","out_trade_no":"ORDER-1"},
             "logistics_type":3,"delivery_mode":2,"is_all_delivered":false,
             "shipping_list":[{"item_desc":"充值卡"}],
             "upload_time":"2024-05-20T05:29:36.000+00:00","payer":{"openid":"mo1"}}
            """);
    }
}
