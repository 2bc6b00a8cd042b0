using System.Xml.Linq;
using WeChatMall.WeChat.OfficialAccount;

namespace WeChatMall.WeChat.Tests.OfficialAccount;

// The fast path must never accept what the XmlReader parser refuses, and must read exactly what it reads.
public sealed class FlatXmlTests
{
    // WeChat's shapes: the fast path must take them (that is its point) and agree with the full parser.
    [TestCase("<xml><ToUserName><![CDATA[gh_x]]></ToUserName><FromUserName><![CDATA[oU]]></FromUserName><CreateTime>1348831860</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[this is a test]]></Content><MsgId>1234567890123456</MsgId></xml>")]
    [TestCase("<xml>\n  <ToUserName><![CDATA[gh_x]]></ToUserName>\n  <Encrypt><![CDATA[abc+/=]]></Encrypt>\n</xml>\n")]
    [TestCase("<xml><Content>  <![CDATA[ padded ]]>\n</Content><Empty></Empty><EmptyCdata><![CDATA[]]></EmptyCdata></xml>")]
    [TestCase("<xml><Content><![CDATA[<a href=\"x\">&amp; 中文 😀</a>]]></Content><Content><![CDATA[second]]></Content></xml>")]
    [TestCase("<xml><Unknown_Field-1.x>plain text, tabs\tand\nnewlines</Unknown_Field-1.x></xml>")]
    public void TryParse_WeChatShapes_AgreesWithTheXmlParser(string xml)
    {
        var flat = FlatXml.TryParse(xml);
        Assert.That(flat, Is.Not.Null, "WeChat's usual shape should take the fast path");
        Assert.That(flat, Is.EqualTo(TreeFields(xml)));
    }

    // Everything else is left to the full parser, whether it accepts it (entities, comments, nesting…) or refuses it.
    [TestCase("<?xml version=\"1.0\" encoding=\"utf-8\"?><xml><A>1</A></xml>")]
    [TestCase("<!DOCTYPE xml [<!ENTITY e \"x\">]><xml><A>&e;</A></xml>")]
    [TestCase("<xml><A>a &amp; b</A></xml>")]
    [TestCase("<xml><A>&#65;</A></xml>")]
    [TestCase("<xml><A>&undeclared;</A></xml>")]
    [TestCase("<xml><!-- c --><A>1</A></xml>")]
    [TestCase("<xml><A><!-- c -->1</A></xml>")]
    [TestCase("<xml><A x=\"1\">1</A></xml>")]
    [TestCase("<xml a='1'><A>1</A></xml>")]
    [TestCase("<xml><A/></xml>")]
    [TestCase("<xml><A >1</A></xml>")]
    [TestCase("<xml><A>1</A ></xml>")]
    [TestCase("<xml><ScanCodeInfo><ScanType>qrcode</ScanType></ScanCodeInfo></xml>")]
    [TestCase("<xml><A><![CDATA[a]]]]><![CDATA[>b]]></A></xml>")]
    [TestCase("<xml><A>x<![CDATA[y]]></A></xml>")]
    [TestCase("<xml><A>line\r\nend</A></xml>")]
    [TestCase("<xml><A><![CDATA[line\r\nend]]></A></xml>")]
    [TestCase("<xml><A>\u0001</A></xml>")]
    [TestCase("<xml><A><![CDATA[\u0008]]></A></xml>")]
    [TestCase("<xml><A>\uFFFE</A></xml>")]
    [TestCase("<xml><A>a]]>b</A></xml>")]
    [TestCase("<xml><A>a>b</A></xml>")]
    [TestCase("<xml><A>1</B></xml>")]
    [TestCase("<xml><A>1</A></yml>")]
    [TestCase("<xml><A>1</A>")]
    [TestCase("<xml><A>1</A></xml>trailing")]
    [TestCase("<xml><A>1</A></xml><xml></xml>")]
    [TestCase("<xml>text<A>1</A></xml>")]
    [TestCase("<xml><A><![CDATA[unterminated</A></xml>")]
    [TestCase("<xml><a:b>1</a:b></xml>")]
    [TestCase("<xml><1A>1</1A></xml>")]
    [TestCase("<xml><Ä>1</Ä></xml>")]
    [TestCase("\uFEFF<xml><A>1</A></xml>")]
    [TestCase("not xml")]
    [TestCase("<xml><A>1")]
    public void TryParse_AnythingElse_IsLeftToTheXmlParser(string xml)
        => Assert.That(FlatXml.TryParse(xml), Is.Null);

    // Built at run time: attribute arguments cannot carry unpaired surrogates.
    [Test]
    public void TryParse_UnpairedSurrogates_AreLeftToTheXmlParser()
    {
        foreach (var text in new[] { "\uD800x", "\uDC00", "x\uD800" })
            Assert.That(FlatXml.TryParse($"<xml><A>{text}</A></xml>"), Is.Null, text);
    }

    // Whatever the fast path takes, the full parser takes too, with the same fields: a sweep over cut-off and
    // mutated versions of a real message (every prefix, and every single-character substitution by an XML-special character).
    [Test]
    public void TryParse_TruncationsAndMutations_NeverDisagreeWithTheXmlParser()
    {
        const string message = "<xml><ToUserName><![CDATA[gh_x]]></ToUserName><CreateTime>13</CreateTime><Content> <![CDATA[hi]]> </Content></xml>";
        var variants = Enumerable.Range(0, message.Length + 1).Select(i => message[..i]).ToList();
        foreach (var c in "<>&/![]\"' \r\n\u0000")
            for (var i = 0; i < message.Length; i++)
                variants.Add(message[..i] + c + message[(i + 1)..]);
        foreach (var xml in variants)
        {
            if (FlatXml.TryParse(xml) is not { } flat) continue;
            Assert.That(flat, Is.EqualTo(TreeFields(xml)), xml);
        }
    }

    static List<KeyValuePair<string, string>> TreeFields(string xml)
        => SafeXml.Parse(xml).Elements().Select(e => new KeyValuePair<string, string>(e.Name.LocalName, e.Value.Trim())).ToList();
}
