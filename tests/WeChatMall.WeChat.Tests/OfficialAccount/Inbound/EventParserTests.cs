using WeChatMall.WeChat.OfficialAccount.Inbound;
using static WeChatMall.WeChat.Tests.OfficialAccount.Inbound.InboundSamples;

namespace WeChatMall.WeChat.Tests.OfficialAccount.Inbound;

public sealed class EventParserTests
{
    static T Parse<T>(string xml) where T : EventMessage => (T)InboundMessageParser.Parse(xml);

    [Test]
    public void Parse_SubscribeViaQr_ExposesSceneKeyWithoutPrefix()
    {
        var e = Parse<SubscribeEvent>(Event("subscribe", "<EventKey><![CDATA[qrscene_invite:42]]></EventKey><Ticket><![CDATA[TK]]></Ticket>"));
        Assert.That((e.EventKey, e.SceneKey, e.Ticket), Is.EqualTo(("qrscene_invite:42", "invite:42", "TK")));
        Assert.That(e.DedupKey, Is.EqualTo("oUSER:1348831860:subscribe:qrscene_invite:42"));
    }

    [Test]
    public void Parse_PlainSubscribe_HasNoSceneKey()
    {
        var e = Parse<SubscribeEvent>(Event("subscribe", "<EventKey><![CDATA[]]></EventKey>"));
        Assert.That((e.EventKey, e.SceneKey, e.Ticket), Is.EqualTo(("", (string?)null, (string?)null)));
    }

    [Test]
    public void Parse_Unsubscribe_ReturnsUnsubscribeEvent()
        => Assert.That(Parse<EventMessage>(Event("unsubscribe", "")), Is.TypeOf<UnsubscribeEvent>());

    [Test]
    public void Parse_Scan_KeepsBareScene()
    {
        var e = Parse<ScanEvent>(Event("SCAN", "<EventKey><![CDATA[123]]></EventKey><Ticket><![CDATA[TK]]></Ticket>"));
        Assert.That((e.EventKey, e.Ticket), Is.EqualTo(("123", "TK")));
    }

    [Test]
    public void Parse_Location_ReadsLatitudeLongitudePrecision()
    {
        var e = Parse<LocationReportEvent>(Event("LOCATION", "<Latitude>23.137466</Latitude><Longitude>113.352425</Longitude><Precision>119.385040</Precision>"));
        Assert.That((e.Latitude, e.Longitude, e.Precision), Is.EqualTo((23.137466, 113.352425, 119.38504)));
    }

    [Test]
    public void Parse_ClickViewMiniProgram_ReadKeysAndMenuIds()
    {
        Assert.That(Parse<ClickEvent>(Event("CLICK", "<EventKey><![CDATA[V1001]]></EventKey>")).EventKey, Is.EqualTo("V1001"));
        var view = Parse<ViewEvent>(Event("VIEW", "<EventKey><![CDATA[https://shop]]></EventKey><MenuId>11</MenuId>"));
        Assert.That((view.EventKey, view.MenuId), Is.EqualTo(("https://shop", "11")));
        var mini = Parse<ViewMiniProgramEvent>(Event("view_miniprogram", "<EventKey><![CDATA[pages/index]]></EventKey><MenuId>12</MenuId>"));
        Assert.That((mini.EventKey, mini.MenuId), Is.EqualTo(("pages/index", "12")));
    }

    [TestCase("scancode_push")]
    [TestCase("scancode_waitmsg")]
    public void Parse_ScanCodeMenus_ReadScanCodeInfo(string name)
    {
        var e = Parse<ScanCodeEvent>(Event(name, "<EventKey><![CDATA[k]]></EventKey><ScanCodeInfo><ScanType><![CDATA[qrcode]]></ScanType><ScanResult><![CDATA[1]]></ScanResult></ScanCodeInfo>"));
        Assert.That((e.Event, e.ScanType, e.ScanResult), Is.EqualTo((name, "qrcode", "1")));
    }

    [TestCase("pic_sysphoto")]
    [TestCase("pic_photo_or_album")]
    [TestCase("pic_weixin")]
    public void Parse_PictureMenus_ReadPicList(string name)
    {
        var e = Parse<SendPicturesEvent>(Event(name, "<EventKey><![CDATA[k]]></EventKey><SendPicsInfo><Count>2</Count><PicList>"
            + "<item><PicMd5Sum><![CDATA[aa]]></PicMd5Sum></item><item><PicMd5Sum><![CDATA[bb]]></PicMd5Sum></item></PicList></SendPicsInfo>"));
        Assert.That((e.Event, e.Count), Is.EqualTo((name, 2)));
        Assert.That(e.PicMd5Sums, Is.EqualTo(new[] { "aa", "bb" }));
    }

    [Test]
    public void Parse_LocationSelect_ReadsSendLocationInfo()
    {
        var e = Parse<LocationSelectEvent>(Event("location_select", "<EventKey><![CDATA[k]]></EventKey><SendLocationInfo><Location_X><![CDATA[23]]></Location_X>"
            + "<Location_Y><![CDATA[113]]></Location_Y><Scale><![CDATA[15]]></Scale><Label><![CDATA[L]]></Label><Poiname><![CDATA[P]]></Poiname></SendLocationInfo>"));
        Assert.That((e.Latitude, e.Longitude, e.Scale, e.Label, e.Poiname), Is.EqualTo((23d, 113d, 15, "L", "P")));
    }

    [Test]
    public void Parse_TemplateSendJobFinish_ReadsCapitalDMsgId()
    {
        var e = Parse<TemplateSendJobFinishEvent>(Event("TEMPLATESENDJOBFINISH", "<MsgID>200163836</MsgID><Status><![CDATA[failed:user block]]></Status>"));
        Assert.That((e.MsgId, e.Status), Is.EqualTo((200163836L, "failed:user block")));
    }

    [Test]
    public void Parse_MassSendJobFinish_ReadsCounts()
    {
        var e = Parse<MassSendJobFinishEvent>(Event("MASSSENDJOBFINISH", "<MsgID>1988</MsgID><Status><![CDATA[send success]]></Status>"
            + "<TotalCount>100</TotalCount><FilterCount>80</FilterCount><SentCount>75</SentCount><ErrorCount>5</ErrorCount>"));
        Assert.That((e.MsgId, e.Status, e.TotalCount, e.FilterCount, e.SentCount, e.ErrorCount), Is.EqualTo((1988L, "send success", 100L, 80L, 75L, 5L)));
    }

    [Test]
    public void Parse_UnknownEvent_KeepsRawFields()
    {
        var e = Parse<UnknownEvent>(Event("kf_create_session", "<KfAccount><![CDATA[kf@x]]></KfAccount>"));
        Assert.That((e.Event, e.Fields["KfAccount"], e.Fields["Event"]), Is.EqualTo(("kf_create_session", "kf@x", "kf_create_session")));
    }

    [Test]
    public void DedupKey_TwoLocationReportsSameSecond_DifferOnlyWhenEventDiffers()
    {
        var a = Parse<EventMessage>(Event("LOCATION", "<Latitude>1</Latitude><Longitude>2</Longitude><Precision>3</Precision>"));
        var b = Parse<EventMessage>(Event("CLICK", "<EventKey>k</EventKey>"));
        Assert.That(a.DedupKey, Is.Not.EqualTo(b.DedupKey));
        Assert.That(a.DedupKey, Is.EqualTo(Parse<EventMessage>(Event("LOCATION", "<Latitude>9</Latitude><Longitude>9</Longitude><Precision>9</Precision>")).DedupKey));
    }
}
