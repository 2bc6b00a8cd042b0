using System.Text;
using WeChatMall.WeChat.OfficialAccount;
using static WeChatMall.WeChat.Tests.TestVectors;

namespace WeChatMall.WeChat.Tests.OfficialAccount;

public sealed class MessageCryptoVectorTests
{
    const string Key = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";
    static readonly byte[] FixedRandom = Encoding.ASCII.GetBytes("aaaabbbbccccdddd");
    static readonly MessageCrypto JavaSample = new("pamtest", Key, "wxb11529c136998cb6");
    static readonly MessageCrypto PythonSample = new("spamtest", Key, "wx2c2769f8efd9abc2");

    [TestCase("official.oa_aes_java_sample.plaintext", "official.oa_aes_java_sample.encrypt")]
    [TestCase("derived.oa_pad21.msg", "derived.oa_pad21.encrypt")]
    [TestCase("derived.oa_pad32.msg", "derived.oa_pad32.encrypt")]
    public void Encrypt_FixedRandom_MatchesVector(string messagePath, string encryptPath)
        => Assert.That(JavaSample.Encrypt(Str(messagePath), FixedRandom), Is.EqualTo(Str(encryptPath)));

    [TestCase("derived.oa_pad21")]
    [TestCase("derived.oa_pad32")]
    public void Decrypt_PadAbove16Vector_ReturnsMessage(string vector)
    {
        var result = JavaSample.Decrypt(Str(vector + ".encrypt"), "1409304348", "xxxxxx", Str(vector + ".msg_signature"));
        Assert.That(result, Is.EqualTo(new DecryptedMessage(Str(vector + ".msg"), AesKeySlot.Current)));
    }

    [Test]
    public void DecryptBody_OfficialPythonSample_ReturnsTextMessageXml()
    {
        var body = $"<xml><ToUserName><![CDATA[gh_10f6c3c3ac5a]]></ToUserName><Encrypt><![CDATA[{Str("official.oa_python_sample.encrypt")}]]></Encrypt></xml>";
        var result = PythonSample.DecryptBody(body, "1409735669", "1320562132", Str("official.oa_python_sample.msg_signature"));
        Assert.That(result.Xml, Is.EqualTo(Str("official.oa_python_sample.decrypted_xml")));
        Assert.That(result.Xml, Does.Contain("<Content><![CDATA[abcdteT]]></Content>"));
    }

    [Test]
    public void EncryptReply_ReplyVector_IsByteExactEnvelope()
    {
        var envelope = PythonSample.EncryptReply(Str("derived.oa_reply.reply_xml"), "1409735669", "1320562132",
            AesKeySlot.Current, FixedRandom);
        Assert.That(envelope.Encrypt, Is.EqualTo(Str("derived.oa_reply.encrypt")));
        Assert.That(envelope.MsgSignature, Is.EqualTo(Str("derived.oa_reply.msg_signature")));
        Assert.That(envelope.Xml, Is.EqualTo(Str("derived.oa_reply.envelope")));
    }

    [Test]
    public void OpenReplyEnvelope_ReplyVector_ReturnsReplyXml()
    {
        var result = PythonSample.OpenReplyEnvelope(Str("derived.oa_reply.envelope"));
        Assert.That(result.Xml, Is.EqualTo(Str("derived.oa_reply.reply_xml")));
    }
}
