using WeChatMall.WeChat.OfficialAccount;
using WeChatMall.WeChat.OfficialAccount.Inbound;
using static WeChatMall.WeChat.Tests.OfficialAccount.Inbound.InboundSamples;

namespace WeChatMall.WeChat.Tests.OfficialAccount.Inbound;

public sealed class InboundMessageParserTests
{
    [Test]
    public void Parse_Text_ReturnsCommonFieldsAndDedupKey()
    {
        var m = (TextMessage)InboundMessageParser.Parse(Message("text", "<Content><![CDATA[this is a test]]></Content><MsgId>1234567890123456</MsgId>"));
        Assert.That(m, Is.EqualTo(new TextMessage
        {
            ToUserName = "gh_x", FromUserName = "oUSER", CreateTime = 1348831860, MsgType = "text",
            Content = "this is a test", MsgId = 1234567890123456,
        }));
        Assert.That(m.DedupKey, Is.EqualTo("oUSER:1234567890123456"));
    }

    [Test]
    public void Parse_Image_ReadsPicUrlAndMediaId()
    {
        var m = (ImageMessage)InboundMessageParser.Parse(Message("image", "<PicUrl><![CDATA[http://p]]></PicUrl><MediaId><![CDATA[M]]></MediaId><MsgId>7</MsgId>"));
        Assert.That((m.PicUrl, m.MediaId, m.MsgId), Is.EqualTo(("http://p", "M", 7L)));
    }

    [Test]
    public void Parse_VoiceWithoutRecognition_LeavesRecognitionNull()
    {
        var m = (VoiceMessage)InboundMessageParser.Parse(Message("voice", "<MediaId><![CDATA[M]]></MediaId><Format><![CDATA[amr]]></Format><MsgId>7</MsgId>"));
        Assert.That((m.MediaId, m.Format, m.Recognition), Is.EqualTo(("M", "amr", (string?)null)));
    }

    [Test]
    public void Parse_VideoWithWhitespaceAroundCdata_TrimsValues()
    {
        var xml = "<xml><ToUserName> <![CDATA[gh_x]]> </ToUserName><FromUserName><![CDATA[oUSER]]></FromUserName><CreateTime> 5 </CreateTime>"
            + "<MsgType>  <![CDATA[video]]></MsgType><MediaId><![CDATA[M]]>\n</MediaId><ThumbMediaId><![CDATA[T]]></ThumbMediaId><MsgId>8</MsgId></xml>";
        var m = (VideoMessage)InboundMessageParser.Parse(xml);
        Assert.That((m.ToUserName, m.CreateTime, m.MsgType, m.MediaId, m.ThumbMediaId), Is.EqualTo(("gh_x", 5L, "video", "M", "T")));
    }

    [Test]
    public void Parse_ShortVideo_ReturnsShortVideoMessage()
    {
        var m = (ShortVideoMessage)InboundMessageParser.Parse(Message("shortvideo", "<MediaId><![CDATA[M]]></MediaId><ThumbMediaId><![CDATA[T]]></ThumbMediaId><MsgId>9</MsgId>"));
        Assert.That((m.MediaId, m.ThumbMediaId, m.MsgId), Is.EqualTo(("M", "T", 9L)));
    }

    [Test]
    public void Parse_Location_ReadsCoordinatesInvariantly()
    {
        var m = (LocationMessage)InboundMessageParser.Parse(Message("location",
            "<Location_X>23.134521</Location_X><Location_Y>113.358803</Location_Y><Scale>20</Scale><Label><![CDATA[Somewhere]]></Label><MsgId>1</MsgId>"));
        Assert.That((m.Latitude, m.Longitude, m.Scale, m.Label), Is.EqualTo((23.134521, 113.358803, 20, "Somewhere")));
    }

    [Test]
    public void Parse_Link_ReadsTitleDescriptionUrl()
    {
        var m = (LinkMessage)InboundMessageParser.Parse(Message("link",
            "<Title><![CDATA[T]]></Title><Description><![CDATA[D]]></Description><Url><![CDATA[http://u]]></Url><MsgId>2</MsgId>"));
        Assert.That((m.Title, m.Description, m.Url), Is.EqualTo(("T", "D", "http://u")));
    }

    [Test]
    public void Parse_UnknownMsgType_KeepsAllRawFields()
    {
        var m = (UnknownMessage)InboundMessageParser.Parse(Message("miniprogrampage",
            "<Title><![CDATA[T]]></Title><Extra><Inner> v </Inner></Extra><MsgId>3</MsgId>"));
        Assert.That(m.MsgType, Is.EqualTo("miniprogrampage"));
        Assert.That(m.Fields["Title"], Is.EqualTo("T"));
        Assert.That(m.Fields["Extra/Inner"], Is.EqualTo("v"));
        Assert.That(m.DedupKey, Is.EqualTo("oUSER:3"));
    }

    [TestCase("<FromUserName>o</FromUserName><CreateTime>1</CreateTime><MsgType>text</MsgType>", WeChatXmlError.MissingField)]
    [TestCase("<ToUserName>g</ToUserName><FromUserName>o</FromUserName><CreateTime>soon</CreateTime><MsgType>text</MsgType>", WeChatXmlError.InvalidValue)]
    [TestCase("<ToUserName>g</ToUserName><FromUserName>o</FromUserName><CreateTime>1</CreateTime><MsgType>text</MsgType><Content>x</Content>", WeChatXmlError.MissingField)]
    public void Parse_MissingOrInvalidField_ThrowsSpecificError(string inner, WeChatXmlError error)
        => Assert.That(() => InboundMessageParser.Parse($"<xml>{inner}</xml>"),
            Throws.TypeOf<WeChatXmlException>().With.Property("Error").EqualTo(error));

    [Test]
    public void ParseEnvelope_SafeAndCompatibleBodies_ExposeEncrypt()
    {
        Assert.That(CallbackEnvelope.Parse("<xml><ToUserName><![CDATA[gh_x]]></ToUserName><Encrypt><![CDATA[abc=]]></Encrypt></xml>"),
            Is.EqualTo(new CallbackEnvelope("gh_x", "abc=")));
        Assert.That(CallbackEnvelope.Parse(Message("text", "<Content>x</Content><MsgId>1</MsgId><Encrypt><![CDATA[zz]]></Encrypt>")).Encrypt,
            Is.EqualTo("zz"));
        Assert.That(CallbackEnvelope.Parse(Message("text", "<Content>x</Content>")).Encrypt, Is.Null);
    }
}
