using WeChatMall.WeChat.OfficialAccount.Inbound;
using WeChatMall.WeChat.OfficialAccount.Replies;
using static WeChatMall.WeChat.Tests.TestVectors;

namespace WeChatMall.WeChat.Tests.OfficialAccount.Replies;

public sealed class PassiveReplyTests
{
    const string Head = "<xml><ToUserName><![CDATA[oUSER]]></ToUserName><FromUserName><![CDATA[gh_x]]></FromUserName><CreateTime>1716182976</CreateTime>";

    static readonly TextMessage Inbound = new()
    {
        ToUserName = "gh_x", FromUserName = "oUSER", CreateTime = 1, MsgType = "text", MsgId = 9, Content = "hi",
    };

    [Test]
    public void TextReplyTo_ReplyVector_IsByteExact()
    {
        var inbound = InboundMessageParser.Parse(Str("official.oa_python_sample.decrypted_xml"));
        Assert.That(TextReply.To(inbound, 1409735670, "你好").ToXml(), Is.EqualTo(Str("derived.oa_reply.reply_xml")));
    }

    [Test]
    public void TextReply_ContentWithCdataTerminator_SplitsSection()
    {
        var xml = TextReply.To(Inbound, 1716182976, "a]]>b").ToXml();
        Assert.That(xml, Is.EqualTo(Head + "<MsgType><![CDATA[text]]></MsgType><Content><![CDATA[a]]]]><![CDATA[>b]]></Content></xml>"));
        Assert.That(((TextMessage)InboundMessageParser.Parse(xml.Replace("<MsgType><![CDATA[text]]></MsgType>", "<MsgType>text</MsgType><MsgId>1</MsgId>"))).Content,
            Is.EqualTo("a]]>b"));
    }

    [Test]
    public void ImageVoiceVideo_Replies_WrapMediaElements()
    {
        Assert.That(ImageReply.To(Inbound, 1716182976, "M1").ToXml(),
            Is.EqualTo(Head + "<MsgType><![CDATA[image]]></MsgType><Image><MediaId><![CDATA[M1]]></MediaId></Image></xml>"));
        Assert.That(VoiceReply.To(Inbound, 1716182976, "M2").ToXml(),
            Is.EqualTo(Head + "<MsgType><![CDATA[voice]]></MsgType><Voice><MediaId><![CDATA[M2]]></MediaId></Voice></xml>"));
        Assert.That(VideoReply.To(Inbound, 1716182976, "M3", "T", "D").ToXml(),
            Is.EqualTo(Head + "<MsgType><![CDATA[video]]></MsgType><Video><MediaId><![CDATA[M3]]></MediaId><Title><![CDATA[T]]></Title><Description><![CDATA[D]]></Description></Video></xml>"));
    }

    [Test]
    public void MusicReply_AllFields_WritesMusicElement()
        => Assert.That(MusicReply.To(Inbound, 1716182976, "T", "D", "http://m", "http://hq", "TM").ToXml(),
            Is.EqualTo(Head + "<MsgType><![CDATA[music]]></MsgType><Music><Title><![CDATA[T]]></Title><Description><![CDATA[D]]></Description><MusicUrl><![CDATA[http://m]]></MusicUrl><HQMusicUrl><![CDATA[http://hq]]></HQMusicUrl><ThumbMediaId><![CDATA[TM]]></ThumbMediaId></Music></xml>"));

    [Test]
    public void NewsReply_OneArticle_WritesCountAndItem()
        => Assert.That(NewsReply.To(Inbound, 1716182976, new NewsArticle("T", "D", "http://p", "http://u")).ToXml(),
            Is.EqualTo(Head + "<MsgType><![CDATA[news]]></MsgType><ArticleCount>1</ArticleCount><Articles><item><Title><![CDATA[T]]></Title><Description><![CDATA[D]]></Description><PicUrl><![CDATA[http://p]]></PicUrl><Url><![CDATA[http://u]]></Url></item></Articles></xml>"));

    [Test]
    public void TransferCustomerService_WithAndWithoutAccount_WritesOptionalTransInfo()
    {
        Assert.That(TransferCustomerServiceReply.To(Inbound, 1716182976).ToXml(),
            Is.EqualTo(Head + "<MsgType><![CDATA[transfer_customer_service]]></MsgType></xml>"));
        Assert.That(TransferCustomerServiceReply.To(Inbound, 1716182976, "kf1@gh_x").ToXml(),
            Is.EqualTo(Head + "<MsgType><![CDATA[transfer_customer_service]]></MsgType><TransInfo><KfAccount><![CDATA[kf1@gh_x]]></KfAccount></TransInfo></xml>"));
    }

    [Test]
    public void SuccessBody_Constant_IsLiteralSuccess() => Assert.That(PassiveReply.SuccessBody, Is.EqualTo("success"));
}
