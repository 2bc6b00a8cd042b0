using WeChatMall.WeChat.OfficialAccount;
using static WeChatMall.WeChat.Tests.TestVectors;

namespace WeChatMall.WeChat.Tests.OfficialAccount;

public sealed class CallbackSignatureTests
{
    [Test]
    public void ComputeUrlSignature_OfficialGetVector_MatchesDoc()
    {
        var sig = CallbackSignature.ComputeUrlSignature(Str("official.oa_doc_get_verify.token"),
            Str("official.oa_doc_get_verify.timestamp"), Str("official.oa_doc_get_verify.nonce"));
        Assert.That(sig, Is.EqualTo(Str("official.oa_doc_get_verify.signature")));
    }

    [Test]
    public void VerifyUrlSignature_OfficialPostVector_ReturnsValid()
    {
        var result = CallbackSignature.VerifyUrlSignature(Str("official.oa_doc_post_plain.token"),
            Str("official.oa_doc_post_plain.timestamp"), Str("official.oa_doc_post_plain.nonce"),
            Str("official.oa_doc_post_plain.signature"));
        Assert.That(result, Is.EqualTo(SignatureCheck.Valid));
    }

    [Test]
    public void ComputeMessageSignature_NodeWebotVector_MatchesFourPartHash()
    {
        var sig = CallbackSignature.ComputeMessageSignature(Str("official.oa_node_webot_sig.token"),
            "timestamp", "nonce", "encrypt");
        Assert.That(sig, Is.EqualTo(Str("official.oa_node_webot_sig.msg_signature")));
    }

    [Test]
    public void VerifyMessageSignature_PythonSampleVector_ReturnsValid()
    {
        var result = CallbackSignature.VerifyMessageSignature("spamtest", "1409735669", "1320562132",
            Str("official.oa_python_sample.encrypt"), Str("official.oa_python_sample.msg_signature"));
        Assert.That(result, Is.EqualTo(SignatureCheck.Valid));
    }

    [Test]
    public void VerifyUrlSignature_OneHexDigitChanged_ReturnsMismatch()
    {
        var result = CallbackSignature.VerifyUrlSignature("AAAAA", "1714037059", "486452656",
            "899cf89e464efb63f54ddac96b0a0a235f53aa79");
        Assert.That(result, Is.EqualTo(SignatureCheck.Mismatch));
    }

    // The comparison is case-insensitive on hex digits and refuses anything that is not the 40-character digest.
    [Test]
    public void VerifyUrlSignature_UpperCaseHex_ReturnsValid()
    {
        var signature = CallbackSignature.ComputeUrlSignature("AAAAA", "1714037059", "486452656").ToUpperInvariant();
        Assert.That(CallbackSignature.VerifyUrlSignature("AAAAA", "1714037059", "486452656", signature), Is.EqualTo(SignatureCheck.Valid));
    }

    [Test]
    public void VerifyUrlSignature_ValidDigestLengthenedShortenedOrNonAscii_ReturnsMismatch()
    {
        var valid = CallbackSignature.ComputeUrlSignature("AAAAA", "1714037059", "486452656");
        foreach (var forged in new[] { valid + "0", valid[..^1], valid[..^1] + "\u00e9" })
            Assert.That(CallbackSignature.VerifyUrlSignature("AAAAA", "1714037059", "486452656", forged),
                Is.EqualTo(SignatureCheck.Mismatch), forged);
    }

    // msg_signature covers Encrypt: the signature of one ciphertext does not pass for another, nor for another token.
    [Test]
    public void VerifyMessageSignature_OtherEncryptOrToken_ReturnsMismatch()
    {
        var encrypt = Str("official.oa_python_sample.encrypt");
        var signature = Str("official.oa_python_sample.msg_signature");
        Assert.Multiple(() =>
        {
            Assert.That(CallbackSignature.VerifyMessageSignature("spamtest", "1409735669", "1320562132", encrypt[1..], signature),
                Is.EqualTo(SignatureCheck.Mismatch));
            Assert.That(CallbackSignature.VerifyMessageSignature("spamtesT", "1409735669", "1320562132", encrypt, signature),
                Is.EqualTo(SignatureCheck.Mismatch));
        });
    }

    [TestCase(null, "n", "s")]
    [TestCase("t", "", "s")]
    [TestCase("t", "n", null)]
    public void VerifyUrlSignature_MissingPart_ReturnsMissing(string? timestamp, string? nonce, string? signature)
        => Assert.That(CallbackSignature.VerifyUrlSignature("AAAAA", timestamp, nonce, signature),
            Is.EqualTo(SignatureCheck.Missing));

    [Test]
    public void Compute_MixedCaseParts_HashesInOrdinalOrder()
    {
        // Ordinal order puts "Token" before "abc"; a culture-aware sort would not (outside invariant-globalization mode).
        var expected = CallbackSignature.Compute("Tokenabc");
        Assert.That(CallbackSignature.Compute("abc", "Token"), Is.EqualTo(expected));
    }

    [TestCase("1714037059", 300, true)]
    [TestCase("1714036759", 300, true)]
    [TestCase("1714036758", 300, false)]
    [TestCase("1714037360", 300, false)]
    [TestCase("-5", 300, false)]
    [TestCase("abc", 300, false)]
    [TestCase(null, 300, false)]
    public void IsTimestampFresh_AroundWindowEdge_ReturnsExpected(string? timestamp, int windowSeconds, bool expected)
        => Assert.That(CallbackSignature.IsTimestampFresh(timestamp, DateTimeOffset.FromUnixTimeSeconds(1714037059),
            TimeSpan.FromSeconds(windowSeconds)), Is.EqualTo(expected));
}
