using System.Security.Cryptography;
using System.Text;
using System.Xml;
using FsCheck;
using FsCheck.Fluent;
using Microsoft.Extensions.Time.Testing;
using WeChatMall.WeChat.OfficialAccount;
using WeChatMall.WeChat.OfficialAccount.Inbound;
using WeChatMall.WeChat.Pay;
using PropertyAttribute = FsCheck.NUnit.PropertyAttribute;

namespace WeChatMall.WeChat.Tests.Fuzzing;

/// <summary>
/// Property tests (FsCheck) of what WeChat's servers — or anyone posing as them — send us: the callback XML parser,
/// the safe-mode decryptor and the pay-notification parser. Arbitrary and mutated inputs end in a result or the
/// documented rejection (<see cref="WeChatXmlException"/>, <see cref="WeChatCryptoException"/>, a
/// <see cref="NotificationParseStatus"/>), never another exception and never a hang (each case runs under a generous
/// bound); what we write, we read back. A bounded number of cases per property runs in every test run.
/// </summary>
public sealed class ParserProperties
{
    const int Cases = 300;
    static readonly TimeSpan HangBound = TimeSpan.FromSeconds(10);

    const string Token = "fuzztoken";
    const string AppId = "wx0123456789abcdef";
    const string AesKey = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";
    static readonly MessageCrypto Crypto = new(Token, AesKey, AppId);

    const string ValidMessage = "<xml><ToUserName><![CDATA[gh_x]]></ToUserName><FromUserName><![CDATA[oUSER]]></FromUserName>"
        + "<CreateTime>1700000000</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[hello 你好]]></Content>"
        + "<MsgId>1234567890123456</MsgId></xml>";

    /// <summary>True when <paramref name="action"/> ends within the bound; its exception, if any, is rethrown.</summary>
    static bool Ends(Action action)
    {
        var run = Task.Run(action);
        if (!run.Wait(HangBound)) return false;
        return true;
    }

    /// <summary>Mutations of a valid input: characters replaced, inserted or deleted at generated positions.</summary>
    static Arbitrary<string> Mutants(string seed) => Gen.ListOf(Gen.Choose(0, 2).SelectMany(kind => Gen.Choose(0, seed.Length)
            .SelectMany(at => ArbMap.Default.GeneratorFor<char>().Select(c => (Kind: kind, At: at, Char: c)))))
        .Select(edits =>
        {
            var sb = new StringBuilder(seed);
            foreach (var (kind, at, c) in edits)
            {
                var i = Math.Min(at, sb.Length);
                if (kind == 0 && i < sb.Length) sb[i] = c;
                else if (kind == 1) sb.Insert(i, c);
                else if (i < sb.Length) sb.Remove(i, 1);
            }
            return sb.ToString();
        }).ToArbitrary();

    static bool ParsesOrRejects(string? xml) => Ends(() =>
    {
        try { InboundMessageParser.Parse(xml!); } catch (WeChatXmlException) { }
        try { CallbackEnvelope.Parse(xml!); } catch (WeChatXmlException) { }
    });

    [Property(MaxTest = Cases)]
    public Property CallbackXml_ArbitraryText_ParsesOrIsRejectedAsXml() => Prop.ForAll(ArbMap.Default.ArbFor<string>(), ParsesOrRejects);

    [Property(MaxTest = Cases)]
    public Property CallbackXml_MutatedMessage_ParsesOrIsRejectedAsXml() => Prop.ForAll(Mutants(ValidMessage), ParsesOrRejects);

    // XML itself cannot carry every string: no control characters other than tab and newline, and parsers turn "\r"
    // into "\n" (XML 1.0 section 2.11, also inside CDATA). Anything else must come back as written.
    static bool XmlCarries(string s)
    {
        for (var i = 0; i < s.Length; i++)
        {
            if (s[i] != '\r' && XmlConvert.IsXmlChar(s[i])) continue;
            if (i + 1 < s.Length && XmlConvert.IsXmlSurrogatePair(s[i + 1], s[i])) { i++; continue; }
            return false;
        }
        return true;
    }

    [Property(MaxTest = Cases)]
    public Property CallbackXml_TextMessageWritten_ReadsBackTheSameContent() => Prop.ForAll(
        ArbMap.Default.ArbFor<NonEmptyString>().Filter(s => XmlCarries(s.Get) && s.Get.Trim().Length > 0), (NonEmptyString content) =>
        {
            var xml = new XmlFragmentWriter().Cdata("ToUserName", "gh_x").Cdata("FromUserName", "oUSER").Number("CreateTime", 1700000000)
                .Cdata("MsgType", "text").Cdata("Content", content.Get).Number("MsgId", 42).ToXml();
            // Values are read trimmed, by design (SafeXml.Child: WeChat pads values with whitespace), content included.
            return ((TextMessage)InboundMessageParser.Parse(xml)).Content == content.Get.Trim();
        });

    static bool DecryptsOrRejects(string encrypt) => Ends(() =>
    {
        var signature = CallbackSignature.ComputeMessageSignature(Token, "1700000000", "nonce", encrypt);
        try { Crypto.Decrypt(encrypt, "1700000000", "nonce", signature); } catch (WeChatCryptoException) { }
    });

    // Correctly signed (the attacker knows the token), so every case reaches the base64, AES and framing checks.
    [Property(MaxTest = Cases)]
    public Property Decrypt_ArbitrarySignedText_DecryptsOrIsRejectedAsCrypto() =>
        Prop.ForAll(ArbMap.Default.ArbFor<NonNull<string>>(), (NonNull<string> encrypt) => DecryptsOrRejects(encrypt.Get));

    [Property(MaxTest = Cases)]
    public Property Decrypt_ArbitrarySignedBlocks_DecryptsOrIsRejectedAsCrypto() => Prop.ForAll(
        Gen.Choose(0, 8).SelectMany(blocks => Gen.ArrayOf(ArbMap.Default.GeneratorFor<byte>(), blocks * 32)).ToArbitrary(),
        (byte[] cipher) => DecryptsOrRejects(Convert.ToBase64String(cipher)));

    [Property(MaxTest = Cases)]
    public Property Decrypt_MutatedCiphertext_DecryptsOrIsRejectedAsCrypto() => Prop.ForAll(Mutants(Crypto.Encrypt(ValidMessage)), DecryptsOrRejects);

    static bool Utf8Carries(string s) => Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(s)) == s;

    [Property(MaxTest = Cases)]
    public Property EncryptThenDecrypt_AnyMessage_RoundTrips() => Prop.ForAll(
        ArbMap.Default.ArbFor<NonNull<string>>().Filter(s => Utf8Carries(s.Get)), (NonNull<string> message) =>
        {
            var envelope = Crypto.EncryptReply(message.Get, "1700000000", "nonce");
            return Crypto.OpenReplyEnvelope(envelope.Xml).Xml == message.Get;
        });

    // The pay side: notifications signed with a key generated here, as WeChat Pay would sign them.
    const string ApiV3Key = "abcdefghijklmnopqrstuvwxyz012345";
    const string Serial = "PUB_KEY_ID_0000000000000000000000000000000009";
    static readonly RSA PlatformKey = RSA.Create(2048);
    static readonly FakeTimeProvider Time = new(DateTimeOffset.Parse("2026-01-01T00:00:00Z"));
    static readonly WeChatPayResponseSigner Signer = new(PlatformKey, Serial, Time);
    static readonly WeChatPayNotificationParser PayParser = new(new WeChatPayVerifier(new Dictionary<string, RSA> { [Serial] = PlatformKey }, Time), ApiV3Key);
    static readonly NotificationBuilder PayBuilder = new(Signer, ApiV3Key, Time);

    [OneTimeTearDown]
    public void DisposeKey() => PlatformKey.Dispose();

    static Transaction Paid(string outTradeNo, long total, string attach) => new()
    {
        AppId = "wxd678efh567hg6787", MchId = "1230000109", OutTradeNo = outTradeNo, TransactionId = "4200000000000000000000000001",
        TradeState = "SUCCESS", Attach = attach, SuccessTime = Time.GetUtcNow(),
        Payer = new TransactionPayer("oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"), Amount = new TransactionAmount { Total = total, PayerTotal = total, Currency = "CNY" },
    };

    static readonly string ValidNotification = PayBuilder.Build("TRANSACTION.SUCCESS", "transaction", "支付成功", Paid("ORDER_1", 100, "order:1")).Body;

    // Signed over the bytes as they are, so the parse goes past the signature into the envelope and the resource.
    static bool PayParsesOrRejects(byte[] body) => Ends(() =>
    {
        var result = PayParser.ParseTransaction(Signer.Sign(body), body);
        if (result.IsOk != (result.Resource is not null)) throw new InvalidOperationException("Ok without a resource, or a resource without Ok");
    });

    [Property(MaxTest = Cases)]
    public Property PayNotification_ArbitrarySignedBody_ParsesOrIsRejectedWithAStatus() =>
        Prop.ForAll(ArbMap.Default.ArbFor<byte[]>(), (byte[] body) => PayParsesOrRejects(body ?? []));

    [Property(MaxTest = Cases)]
    public Property PayNotification_MutatedSignedBody_ParsesOrIsRejectedWithAStatus() =>
        Prop.ForAll(Mutants(ValidNotification), (string body) => PayParsesOrRejects(Encoding.UTF8.GetBytes(body)));

    [Property(MaxTest = Cases)]
    public Property PayNotification_UnsignedOrTamperedBody_IsRejected() => Prop.ForAll(Mutants(ValidNotification), (string body) =>
    {
        var signed = PayBuilder.Build("TRANSACTION.SUCCESS", "transaction", "支付成功", Paid("ORDER_1", 100, "order:1"));
        var result = PayParser.ParseTransaction(signed.Headers, Encoding.UTF8.GetBytes(body));
        return body == signed.Body ? result.IsOk : result.Status == NotificationParseStatus.SignatureInvalid;
    });

    [Property(MaxTest = Cases)]
    public Property PayNotification_Built_ParsesBackTheSameTransaction() => Prop.ForAll(
        ArbMap.Default.ArbFor<NonNull<string>>().Filter(s => Utf8Carries(s.Get)), ArbMap.Default.ArbFor<PositiveInt>(),
        (NonNull<string> attach, PositiveInt total) =>
        {
            var paid = Paid("ORDER_" + total.Get, total.Get, attach.Get);
            var n = PayBuilder.Build("TRANSACTION.SUCCESS", "transaction", "支付成功", paid);
            var t = PayParser.ParseTransaction(n.Headers, Encoding.UTF8.GetBytes(n.Body)).Resource!;
            return (t.OutTradeNo, t.Attach, t.Amount!.Total, t.Payer!.OpenId, t.SuccessTime) ==
                   (paid.OutTradeNo, paid.Attach, paid.Amount!.Total, paid.Payer!.OpenId, paid.SuccessTime);
        });
}
