using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using WeChatMall.WeChat.Api;

namespace WeChatMall.WeChat.Tests.Api;

internal sealed class OfficialAccountClientTests : StubbedClientTests<OfficialAccountClient>
{
    [Test]
    public async Task SendCustomText_Always_PostsTextBodyWithToken()
    {
        await Client.SendCustomTextAsync("o1", "你好 <a href=\"https://x\">x</a>", default);
        Assert.That((Sent.Method, Sent.Path, Sent.Query["access_token"]), Is.EqualTo(("POST", "/cgi-bin/message/custom/send", "TOKEN-1")));
        AssertJson(Sent, """{"touser":"o1","msgtype":"text","text":{"content":"你好 <a href=\"https://x\">x</a>"}}""");
        Assert.That(Sent.Body, Does.Contain("你好"));
    }

    [Test]
    public async Task SendCustomImage_Always_PostsMediaId()
    {
        await Client.SendCustomImageAsync("o1", "MID", default);
        AssertJson(Sent, """{"touser":"o1","msgtype":"image","image":{"media_id":"MID"}}""");
    }

    [Test]
    public async Task SendCustomNews_Always_PostsOneArticle()
    {
        await Client.SendCustomNewsAsync("o1", new CustomNewsArticle("T", "D", "https://u", "https://p"), default);
        AssertJson(Sent, """{"touser":"o1","msgtype":"news","news":{"articles":[{"title":"T","description":"D","url":"https://u","picurl":"https://p"}]}}""");
    }

    [Test]
    public async Task SendCustomMiniProgramPage_Always_PostsCard()
    {
        await Client.SendCustomMiniProgramPageAsync("o1", new MiniProgramPageCard("T", "wxMINI", "pages/i", "TM"), default);
        AssertJson(Sent, """{"touser":"o1","msgtype":"miniprogrampage","miniprogrampage":{"title":"T","appid":"wxMINI","pagepath":"pages/i","thumb_media_id":"TM"}}""");
    }

    [Test]
    public async Task SendTemplate_WithClientMsgId_PostsDataAndReturnsMsgId()
    {
        _stub.Respond = r => r.Path == "/cgi-bin/message/template/send" ? (200, """{"errcode":0,"errmsg":"ok","msgid":200228332}""") : null;
        var msgId = await Client.SendTemplateAsync(new TemplateMessage("o1", "TID",
            new Dictionary<string, string> { ["thing1"] = "订单已发货", ["time2"] = "2024-05-20 13:29" },
            MiniProgram: new MiniProgramTarget("wxMINI", "pages/order?id=1"), ClientMsgId: "order-1-shipped"), default);

        Assert.That(msgId, Is.EqualTo(200228332));
        Assert.That(Sent.Path, Is.EqualTo("/cgi-bin/message/template/send"));
        AssertJson(Sent, """
            {"touser":"o1","template_id":"TID","miniprogram":{"appid":"wxMINI","pagepath":"pages/order?id=1"},
             "client_msg_id":"order-1-shipped","data":{"thing1":{"value":"订单已发货"},"time2":{"value":"2024-05-20 13:29"}}}
            """);
    }

    [Test]
    public async Task CreateQrCode_AllFourKinds_PostSceneShapes()
    {
        _stub.Respond = r => r.Path == "/cgi-bin/qrcode/create" ? (200, """{"ticket":"gQH47joAAA==","expire_seconds":60,"url":"http://weixin.qq.com/q/x"}""") : null;
        var ticket = await Client.CreateQrCodeAsync(QrCodeRequest.Temporary(123, TimeSpan.FromDays(7)), default);
        await Client.CreateQrCodeAsync(QrCodeRequest.Temporary("invite:42", TimeSpan.FromDays(7)), default);
        await Client.CreateQrCodeAsync(QrCodeRequest.Permanent(123), default);
        await Client.CreateQrCodeAsync(QrCodeRequest.Permanent("store-7"), default);

        Assert.That(ticket, Is.EqualTo(new QrCodeTicket("gQH47joAAA==", 60, "http://weixin.qq.com/q/x")));
        var sent = _stub.ApiRequests.ToArray();
        AssertJson(sent[0], """{"expire_seconds":604800,"action_name":"QR_SCENE","action_info":{"scene":{"scene_id":123}}}""");
        AssertJson(sent[1], """{"expire_seconds":604800,"action_name":"QR_STR_SCENE","action_info":{"scene":{"scene_str":"invite:42"}}}""");
        AssertJson(sent[2], """{"action_name":"QR_LIMIT_SCENE","action_info":{"scene":{"scene_id":123}}}""");
        AssertJson(sent[3], """{"action_name":"QR_LIMIT_STR_SCENE","action_info":{"scene":{"scene_str":"store-7"}}}""");
    }

    [Test]
    public void BuildQrCodeImageUrl_TicketWithReservedChars_IsEscaped()
        => Assert.That(Client.BuildQrCodeImageUrl("gQH4+7/A=="), Is.EqualTo("https://mp.example/cgi-bin/showqrcode?ticket=gQH4%2B7%2FA%3D%3D"));

    [Test]
    public async Task Menu_CreateGetDelete_UseMenuEndpoints()
    {
        await Client.CreateMenuAsync([
            new MenuButton { Type = "click", Name = "今日", Key = "V1001" },
            new MenuButton { Name = "菜单", SubButtons = [
                new MenuButton { Type = "view", Name = "商城", Url = "https://shop" },
                new MenuButton { Type = "miniprogram", Name = "小程序", Url = "https://fb", AppId = "wxMINI", PagePath = "pages/index" }] },
        ], default);
        await Client.GetMenuAsync(default);
        await Client.DeleteMenuAsync(default);

        var sent = _stub.ApiRequests.ToArray();
        Assert.That(sent.Select(r => (r.Method, r.Path)), Is.EqualTo(new[]
            { ("POST", "/cgi-bin/menu/create"), ("GET", "/cgi-bin/menu/get"), ("GET", "/cgi-bin/menu/delete") }));
        AssertJson(sent[0], """
            {"button":[{"type":"click","name":"今日","key":"V1001"},{"name":"菜单","sub_button":[
              {"type":"view","name":"商城","url":"https://shop"},
              {"type":"miniprogram","name":"小程序","url":"https://fb","appid":"wxMINI","pagepath":"pages/index"}]}]}
            """);
    }

    [Test]
    public void CreateMenu_FourTopButtons_Rejected()
        => Assert.ThrowsAsync<ArgumentException>(() => Client.CreateMenuAsync(
            Enumerable.Range(0, 4).Select(i => new MenuButton { Type = "click", Name = $"b{i}", Key = $"k{i}" }).ToArray(), default));

    [Test]
    public async Task GetUserInfo_Follower_MapsFields()
    {
        _stub.Respond = r => r.Path == "/cgi-bin/user/info" ? (200, """
            {"subscribe":1,"openid":"o1","language":"zh_CN","subscribe_time":1382694957,"unionid":"u1","remark":"",
             "groupid":0,"tagid_list":[128,2],"subscribe_scene":"ADD_SCENE_QR_CODE","qr_scene":98765,"qr_scene_str":""}
            """) : null;
        var user = await Client.GetUserInfoAsync("o1", default);

        Assert.That((Sent.Method, Sent.Query["openid"], Sent.Query["lang"]), Is.EqualTo(("GET", "o1", "zh_CN")));
        Assert.That(user with { TagIds = [] }, Is.EqualTo(new FollowerInfo(true, "o1", "u1", 1382694957, "zh_CN", "", [], "ADD_SCENE_QR_CODE", 98765, "")));
        Assert.That(user.TagIds, Is.EqualTo(new long[] { 128, 2 }));
    }

    [Test]
    public async Task BatchGetUserInfo_TwoOpenIds_PostsUserListAndMapsResults()
    {
        _stub.Respond = r => r.Path == "/cgi-bin/user/info/batchget"
            ? (200, """{"user_info_list":[{"subscribe":1,"openid":"o1"},{"subscribe":0,"openid":"o2"}]}""") : null;
        var users = await Client.BatchGetUserInfoAsync(["o1", "o2"], default);

        AssertJson(Sent, """{"user_list":[{"openid":"o1","lang":"zh_CN"},{"openid":"o2","lang":"zh_CN"}]}""");
        Assert.That(users.Select(u => (u.OpenId, u.Subscribed)), Is.EqualTo(new[] { ("o1", true), ("o2", false) }));
    }

    [Test]
    public async Task GetFollowerPage_WithCursor_SendsNextOpenIdAndMapsPage()
    {
        _stub.Respond = r => r.Path == "/cgi-bin/user/get"
            ? (200, """{"total":23000,"count":2,"data":{"openid":["o1","o2"]},"next_openid":"o2"}""") : null;
        var page = await Client.GetFollowerPageAsync("o0", default);

        Assert.That((Sent.Method, Sent.Query["next_openid"]), Is.EqualTo(("GET", "o0")));
        Assert.That((page.Total, page.Count, page.NextOpenId), Is.EqualTo((23000L, 2, "o2")));
        Assert.That(page.OpenIds, Is.EqualTo(new[] { "o1", "o2" }));
    }

    [Test]
    public async Task GetFollowerPage_EndOfList_IsEmptyPage()
    {
        _stub.Respond = r => r.Path == "/cgi-bin/user/get" ? (200, """{"total":2,"count":0,"next_openid":""}""") : null;
        var page = await Client.GetFollowerPageAsync(null, default);

        Assert.That((Sent.Query["next_openid"], page.Count, page.OpenIds.Count), Is.EqualTo(("", 0, 0)));
    }

    [Test]
    public async Task Tags_CreateAndBatchTag_PostExpectedBodies()
    {
        _stub.Respond = r => r.Path == "/cgi-bin/tags/create" ? (200, """{"tag":{"id":134,"name":"VIP"}}""") : null;
        var id = await Client.CreateTagAsync("VIP", default);
        await Client.TagUsersAsync(id, ["o1", "o2"], default);

        var sent = _stub.ApiRequests.ToArray();
        Assert.That(id, Is.EqualTo(134));
        AssertJson(sent[0], """{"tag":{"name":"VIP"}}""");
        Assert.That(sent[1].Path, Is.EqualTo("/cgi-bin/tags/members/batchtagging"));
        AssertJson(sent[1], """{"openid_list":["o1","o2"],"tagid":134}""");
    }

    [Test]
    public void TagUsers_51OpenIds_Rejected()
        => Assert.ThrowsAsync<ArgumentException>(() => Client.TagUsersAsync(1, Enumerable.Range(0, 51).Select(i => $"o{i}").ToArray(), default));

    [Test]
    public async Task MassSend_TextAndNewsByTag_PostFilterAndReturnIds()
    {
        _stub.Respond = r => r.Path == "/cgi-bin/message/mass/sendall"
            ? (200, """{"errcode":0,"errmsg":"send job submission success","msg_id":34182,"msg_data_id":206227730}""") : null;
        var result = await Client.SendMassTextByTagAsync(2, "CONTENT", "campaign-42", default);
        await Client.SendMassNewsByTagAsync(2, "MID", null, default);

        var sent = _stub.ApiRequests.ToArray();
        Assert.That(result, Is.EqualTo(new MassSendResult(34182, 206227730)));
        AssertJson(sent[0], """{"filter":{"is_to_all":false,"tag_id":2},"msgtype":"text","text":{"content":"CONTENT"},"clientmsgid":"campaign-42"}""");
        AssertJson(sent[1], """{"filter":{"is_to_all":false,"tag_id":2},"msgtype":"mpnews","mpnews":{"media_id":"MID"},"send_ignore_reprint":0}""");
    }
    [Test]
    public async Task MassSend_ToOpenIds_PostsTouserAndClientMsgId()
    {
        _stub.Respond = r => r.Path == "/cgi-bin/message/mass/send"
            ? (200, """{"errcode":0,"errmsg":"send job submission success","msg_id":34183,"msg_data_id":206227731}""") : null;
        var result = await Client.SendMassToOpenIdsAsync(["o1", "o2"], MassContent.Image("IMG"), "c7k3", default);

        Assert.That(result, Is.EqualTo(new MassSendResult(34183, 206227731)));
        AssertJson(_stub.ApiRequests.ToArray()[0], """{"touser":["o1","o2"],"msgtype":"image","image":{"media_id":"IMG"},"clientmsgid":"c7k3"}""");
    }

    [Test]
    public void MassSend_OneOpenId_Rejected()
        => Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Client.SendMassToOpenIdsAsync(["o1"], MassContent.Text("x"), null, default));
}
