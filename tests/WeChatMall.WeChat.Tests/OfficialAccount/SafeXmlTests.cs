using WeChatMall.WeChat.OfficialAccount;
using WeChatMall.WeChat.OfficialAccount.Inbound;

namespace WeChatMall.WeChat.Tests.OfficialAccount;

public sealed class SafeXmlTests
{
    [TestCase("<xml><ToUserName>a</ToUserName>")]
    [TestCase("<xml><ToUserName><![CDATA[a]]></ToUserName><FromUs")]
    [TestCase("not xml at all")]
    [TestCase("<xml><a>&undeclared;</a></xml>")]
    [TestCase("<xml></yml>")]
    public void Parse_MalformedOrTruncated_ThrowsMalformed(string xml)
        => AssertError(() => SafeXml.Parse(xml), WeChatXmlError.Malformed);

    [TestCase("")]
    [TestCase("   ")]
    [TestCase(null)]
    public void Parse_EmptyBody_ThrowsEmpty(string? xml)
        => AssertError(() => SafeXml.Parse(xml), WeChatXmlError.Empty);

    [Test]
    public void Parse_ExternalEntityToRealFile_ThrowsDtdProhibitedWithoutReadingFile()
    {
        var secret = Path.GetTempFileName();
        try
        {
            File.WriteAllText(secret, "TOP-SECRET-CONTENT");
            var xxe = $"""<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY xxe SYSTEM "file://{secret}">]><xml><ToUserName>&xxe;</ToUserName></xml>""";
            var ex = Assert.Throws<WeChatXmlException>(() => InboundMessageParser.Parse(xxe));
            Assert.That(ex!.Error, Is.EqualTo(WeChatXmlError.DtdProhibited));
            Assert.That(ex.ToString(), Does.Not.Contain("TOP-SECRET-CONTENT"));
        }
        finally
        {
            File.Delete(secret);
        }
    }

    [Test]
    public void Parse_BillionLaughs_ThrowsDtdProhibited()
    {
        const string bomb = """<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><xml><a>&lol2;</a></xml>""";
        AssertError(() => SafeXml.Parse(bomb), WeChatXmlError.DtdProhibited);
    }

    [Test]
    public void Parse_OverDefaultLimit_ThrowsTooLarge()
    {
        var xml = "<xml><Content>" + new string('a', SafeXml.DefaultMaxCharacters) + "</Content></xml>";
        AssertError(() => SafeXml.Parse(xml), WeChatXmlError.TooLarge);
    }

    [Test]
    public void Parse_OverConfiguredLimit_ThrowsTooLarge()
        => AssertError(() => SafeXml.Parse("<xml><a>0123456789</a></xml>", maxCharacters: 20), WeChatXmlError.TooLarge);

    [Test]
    public void Child_WhitespaceAroundCdata_ReturnsTrimmedValue()
        => Assert.That(SafeXml.Parse("<xml><MsgType>  <![CDATA[video]]>\n</MsgType></xml>").Child("MsgType"), Is.EqualTo("video"));

    static void AssertError(Action action, WeChatXmlError error)
        => Assert.That(action, Throws.TypeOf<WeChatXmlException>().With.Property("Error").EqualTo(error));
}
