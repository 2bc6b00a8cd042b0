using System.Text;
using WeChatMall.WeChat.OfficialAccount;

namespace WeChatMall.WeChat.Tests.OfficialAccount;

public sealed class MessageCryptoTests
{
    const string Token = "tok3n";
    const string AppId = "wx0123456789abcdef";
    const string CurrentKey = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";
    const string OldKey = "ZYXWVUTSRQPONMLKJIHGFEDCBAzyxwvutsrqponmlk0";
    static readonly MessageCrypto Crypto = new(Token, CurrentKey, AppId);

    static IEnumerable<int> Lengths() =>
        Enumerable.Range(0, 130).Concat(Enumerable.Range(1, 128).SelectMany(k => new[] { 32 * k - 1, 32 * k, 32 * k + 1 }))
            .Append(4096).Distinct();

    [Test]
    public void EncryptThenDecrypt_AllByteLengthsTo4096AroundMultiplesOf32_RoundTrips()
    {
        foreach (var length in Lengths())
        {
            var message = string.Concat(Enumerable.Range(0, length).Select(i => (char)('a' + i % 26)));
            AssertRoundTrip(message);
        }
    }

    [TestCase("中")]
    [TestCase("我是中文abcd123")]
    [TestCase("<xml><Content><![CDATA[😀 emoji]]></Content></xml>")]
    public void EncryptThenDecrypt_MultiByteUtf8_RoundTrips(string message) => AssertRoundTrip(message);

    static void AssertRoundTrip(string message)
    {
        var encrypt = Crypto.Encrypt(message);
        Assert.That(Convert.FromBase64String(encrypt).Length % 32, Is.Zero);
        var sig = CallbackSignature.ComputeMessageSignature(Token, "1", "n", encrypt);
        Assert.That(Crypto.Decrypt(encrypt, "1", "n", sig).Xml, Is.EqualTo(message), $"length {message.Length}");
    }

    [Test]
    public void Decrypt_TamperedEncrypt_ThrowsSignatureMismatch()
    {
        var encrypt = Crypto.Encrypt("<xml/>");
        var sig = CallbackSignature.ComputeMessageSignature(Token, "1", "n", encrypt);
        var tampered = (encrypt[0] == 'A' ? "B" : "A") + encrypt[1..];
        AssertError(() => Crypto.Decrypt(tampered, "1", "n", sig), WeChatCryptoError.SignatureMismatch);
    }

    [Test]
    public void Decrypt_WrongSignature_ThrowsSignatureMismatch()
        => AssertError(() => Crypto.Decrypt(Crypto.Encrypt("x"), "1", "n", new string('0', 40)), WeChatCryptoError.SignatureMismatch);

    [Test]
    public void Decrypt_MissingSignature_ThrowsSignatureMissing()
        => AssertError(() => Crypto.Decrypt(Crypto.Encrypt("x"), "1", "n", null), WeChatCryptoError.SignatureMissing);

    [Test]
    public void Decrypt_SignedInvalidBase64_ThrowsInvalidBase64()
        => AssertError(() => Signed("not*base64"), WeChatCryptoError.InvalidBase64);

    [Test]
    public void Decrypt_CipherNotMultipleOf32_ThrowsInvalidLength()
        => AssertError(() => Signed(Convert.ToBase64String(new byte[48])), WeChatCryptoError.InvalidLength);

    [TestCase(0)]
    [TestCase(33)]
    public void Decrypt_PadByteOutOfRange_ThrowsInvalidPadding(int pad)
        => AssertError(() => Signed(RawEncrypt(Plain(10, "<xml/>", AppId, pad))), WeChatCryptoError.InvalidPadding);

    [Test]
    public void Decrypt_PadBytesInconsistent_ThrowsInvalidPadding()
    {
        var plain = Plain(10, "<xml/>", AppId, 4);
        plain[^3] = 9;
        AssertError(() => Signed(RawEncrypt(plain)), WeChatCryptoError.InvalidPadding);
    }

    [Test]
    public void Decrypt_LengthPrefixBeyondBuffer_ThrowsInvalidLength()
        => AssertError(() => Signed(RawEncrypt(Plain(5000, "<xml/>", AppId, null))), WeChatCryptoError.InvalidLength);

    [Test]
    public void Decrypt_WrongAppId_ThrowsAppIdMismatch()
    {
        var other = new MessageCrypto(Token, CurrentKey, "wxOTHER0000000000");
        AssertError(() => Signed(other.Encrypt("<xml/>")), WeChatCryptoError.AppIdMismatch);
    }

    [Test]
    public void Decrypt_MessageFromPreviousKey_ReportsPreviousSlot()
    {
        var rotated = new MessageCrypto(Token, CurrentKey, AppId, OldKey);
        var encrypt = new MessageCrypto(Token, OldKey, AppId).Encrypt("<xml>old</xml>");
        var sig = CallbackSignature.ComputeMessageSignature(Token, "1", "n", encrypt);
        var result = rotated.Decrypt(encrypt, "1", "n", sig);
        Assert.That(result, Is.EqualTo(new DecryptedMessage("<xml>old</xml>", AesKeySlot.Previous)));
        var reply = rotated.EncryptReply("<xml>r</xml>", "2", "m", result.Key);
        Assert.That(new MessageCrypto(Token, OldKey, AppId).OpenReplyEnvelope(reply.Xml).Xml, Is.EqualTo("<xml>r</xml>"));
    }

    [Test]
    public void Decrypt_UnknownKeyWithPreviousConfigured_ThrowsCurrentKeyError()
    {
        var rotated = new MessageCrypto(Token, CurrentKey, AppId, OldKey);
        var stranger = new MessageCrypto(Token, "0123456789abcdefghijklmnopqrstuvwxyzABCDEFG", AppId);
        var encrypt = stranger.Encrypt("<xml/>");
        var sig = CallbackSignature.ComputeMessageSignature(Token, "1", "n", encrypt);
        Assert.That(() => rotated.Decrypt(encrypt, "1", "n", sig),
            Throws.TypeOf<WeChatCryptoException>().With.Property("Error").AnyOf(WeChatCryptoError.InvalidPadding, WeChatCryptoError.InvalidLength));
    }

    [TestCase("short")]
    [TestCase("abcdefghijklmnopqrstuvwxyz0123456789ABCDEF*")]
    public void Constructor_BadEncodingAesKey_ThrowsInvalidAesKey(string key)
        => AssertError(() => new MessageCrypto(Token, key, AppId), WeChatCryptoError.InvalidAesKey);

    [Test]
    public void EncryptInbound_ThenDecryptBody_RoundTripsForSandbox()
    {
        var envelope = Crypto.EncryptInbound("gh_abc", "<xml><MsgType>text</MsgType></xml>", "1700000000", "nonce1");
        var result = Crypto.DecryptBody(envelope.Xml, "1700000000", "nonce1", envelope.MsgSignature);
        Assert.That(result.Xml, Is.EqualTo("<xml><MsgType>text</MsgType></xml>"));
    }

    DecryptedMessage Signed(string encrypt)
        => Crypto.Decrypt(encrypt, "1", "n", CallbackSignature.ComputeMessageSignature(Token, "1", "n", encrypt));

    static void AssertError(Action action, WeChatCryptoError error)
        => Assert.That(action, Throws.TypeOf<WeChatCryptoException>().With.Property("Error").EqualTo(error));

    static byte[] Plain(int declaredLength, string msg, string appId, int? forcedPad)
    {
        var body = new byte[16].Concat(BitConverter.GetBytes(declaredLength).Reverse())
            .Concat(Encoding.UTF8.GetBytes(msg)).Concat(Encoding.UTF8.GetBytes(appId)).ToArray();
        var pad = 32 - body.Length % 32;
        return body.Concat(Enumerable.Repeat((byte)(forcedPad ?? pad), pad)).ToArray();
    }

    static string RawEncrypt(byte[] plain)
    {
        using var aes = System.Security.Cryptography.Aes.Create();
        var key = Convert.FromBase64String(CurrentKey + "=");
        aes.Key = key;
        return Convert.ToBase64String(aes.EncryptCbc(plain, key.AsSpan(0, 16), System.Security.Cryptography.PaddingMode.None));
    }
}
