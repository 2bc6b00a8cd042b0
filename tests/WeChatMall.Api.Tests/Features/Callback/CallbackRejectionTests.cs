using System.Net;
using System.Text;
using WeChatMall.Api.Tests.TestHost;

namespace WeChatMall.Api.Tests.Features.Callback;

public sealed class CallbackRejectionTests
{
    private static ApiFactory Api => TestEnvironment.Api;

    // Events are written behind the request: wait until the queue is drained before asserting that nothing came of it.
    private static async Task<long> StoredFor(string openId)
    {
        await Api.DrainCallbackEventsAsync();
        return await Api.ScalarAsync<long>("SELECT (SELECT COUNT(*) FROM follower_messages WHERE openid = @openId) + (SELECT COUNT(*) FROM followers WHERE openid = @openId)", new { openId });
    }

    [Test]
    public async Task ForgedSignature_Returns401_AndStoresNothing()
    {
        var openId = WeChatTestAccount.NewOpenId();
        using var client = Api.CreateClient();
        var url = $"/wechat/callback?signature={new string('a', 40)}&timestamp={WeChatTestAccount.Now()}&nonce=1&openid={openId}";

        var response = await client.PostAsync(url, WeChatTestAccount.XmlContent(WeChatTestAccount.Text(openId, "hi", 1)));

        Assert.Multiple(async () =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(await StoredFor(openId), Is.Zero);
        });
    }

    [Test]
    public async Task MissingSignature_Returns401()
    {
        using var client = Api.CreateClient();
        var response = await client.PostAsync("/wechat/callback", WeChatTestAccount.XmlContent("<xml/>"));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task ReplayedSignature_WithDifferentBody_Returns409_AndStoresNothingForTheSecond()
    {
        var (victim, attacker) = (WeChatTestAccount.NewOpenId(), WeChatTestAccount.NewOpenId());
        using var client = Api.CreateClient();
        var url = WeChatTestAccount.PlainUrl(victim);
        await client.PostAsync(url, WeChatTestAccount.XmlContent(WeChatTestAccount.Text(victim, "hello", WeChatTestAccount.NewMsgId())));

        var replayed = await client.PostAsync(url.Replace(victim, attacker), WeChatTestAccount.XmlContent(WeChatTestAccount.Text(attacker, "forged", WeChatTestAccount.NewMsgId())));

        Assert.Multiple(async () =>
        {
            Assert.That(replayed.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
            Assert.That(await StoredFor(attacker), Is.Zero);
        });
    }

    [Test]
    public async Task ReplayedSignature_WithAProductCodeBody_Returns409_AndClaimsNothing_ARetryOfTheRealOneClaimsOnce()
    {
        var (victim, attacker) = (WeChatTestAccount.NewOpenId(), WeChatTestAccount.NewOpenId());
        // The attacker is a bound follower (what web OAuth leaves behind) holding a stolen, unclaimed code.
        var memberId = await Api.ScalarAsync<long>("""
            INSERT INTO members (invite_code, created_at, updated_at) VALUES (@invite, UTC_TIMESTAMP(3), UTC_TIMESTAMP(3));
            INSERT INTO member_identities (member_id, kind, value, created_at) VALUES (LAST_INSERT_ID(), 'oa_openid', @attacker, UTC_TIMESTAMP(3));
            SELECT member_id FROM member_identities WHERE kind = 'oa_openid' AND value = @attacker;
            """, new { invite = Guid.NewGuid().ToString("N")[..12], attacker });
        var code = (await Members.ProductCodeTestData.CreateBatchAsync(points: 100, count: 1, api: Api)).Codes[0];
        using var client = Api.CreateClient();
        var url = WeChatTestAccount.PlainUrl(victim);
        await client.PostAsync(url, WeChatTestAccount.XmlContent(WeChatTestAccount.Text(victim, "hello", WeChatTestAccount.NewMsgId())));

        var replayed = await client.PostAsync(url.Replace(victim, attacker),
            WeChatTestAccount.XmlContent(WeChatTestAccount.Text(attacker, code, WeChatTestAccount.NewMsgId())));
        var unclaimedAfterReplay = await Api.ScalarAsync<long>("SELECT points_balance FROM members WHERE id = @memberId", new { memberId });

        // The attacker's own, properly signed message claims; WeChat's retry of it answers the same and claims nothing more.
        var own = WeChatTestAccount.Text(attacker, code, WeChatTestAccount.NewMsgId());
        var ownUrl = WeChatTestAccount.PlainUrl(attacker);
        var first = await (await client.PostAsync(ownUrl, WeChatTestAccount.XmlContent(own))).Content.ReadAsStringAsync();
        var retry = await (await client.PostAsync(ownUrl, WeChatTestAccount.XmlContent(own))).Content.ReadAsStringAsync();

        Assert.Multiple(async () =>
        {
            Assert.That(replayed.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
            Assert.That(unclaimedAfterReplay, Is.Zero, "a refused request claims nothing");
            Assert.That(retry, Is.EqualTo(first), "the retry gets the first delivery's reply");
            Assert.That(await Api.ScalarAsync<long>("SELECT points_balance FROM members WHERE id = @memberId", new { memberId }), Is.EqualTo(100));
            Assert.That(await Api.ScalarAsync<long>("SELECT COUNT(*) FROM points_ledger WHERE member_id = @memberId", new { memberId }), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task StaleTimestamp_Returns401_AndStoresNothing()
    {
        var openId = WeChatTestAccount.NewOpenId();
        using var client = Api.CreateClient();
        var stale = (DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 301).ToString();

        var response = await client.PostAsync(WeChatTestAccount.PlainUrl(openId, timestamp: stale),
            WeChatTestAccount.XmlContent(WeChatTestAccount.Text(openId, "hi", WeChatTestAccount.NewMsgId())));

        Assert.Multiple(async () =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(await StoredFor(openId), Is.Zero);
        });
    }

    [TestCase("this is not xml")]
    [TestCase("{\"json\":true}")]
    [TestCase("<xml><ToUserName>truncated")]
    [TestCase("<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><xml><Content>&e;</Content></xml>")]
    [TestCase("<xml><MsgType>text</MsgType></xml>")]
    public async Task MalformedBody_Returns400_AndStoresNothing(string body)
    {
        var openId = WeChatTestAccount.NewOpenId();
        using var client = Api.CreateClient();

        var response = await client.PostAsync(WeChatTestAccount.PlainUrl(openId), new StringContent(body, Encoding.UTF8, "text/xml"));

        Assert.Multiple(async () =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(await response.Content.ReadAsStringAsync(), Does.Not.Contain("root:"));
            Assert.That(await StoredFor(openId), Is.Zero);
        });
    }

    [Test]
    public async Task OversizedBody_Returns413_AndStoresNothing()
    {
        var openId = WeChatTestAccount.NewOpenId();
        using var client = Api.CreateClient();
        var huge = WeChatTestAccount.Text(openId, new string('x', 200_000), WeChatTestAccount.NewMsgId());

        var response = await client.PostAsync(WeChatTestAccount.PlainUrl(openId), WeChatTestAccount.XmlContent(huge));

        Assert.Multiple(async () =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge));
            Assert.That(await StoredFor(openId), Is.Zero);
        });
    }

    [Test]
    public async Task SafeMode_TamperedCiphertext_Returns401_AndStoresNothing()
    {
        var openId = WeChatTestAccount.NewOpenId();
        var (ts, nonce) = (WeChatTestAccount.Now(), WeChatTestAccount.Nonce());
        var envelope = WeChatTestAccount.Crypto.EncryptInbound(WeChatTestAccount.OriginalId, WeChatTestAccount.Text(openId, "x", 5), ts, nonce);
        var tampered = envelope.Xml.Replace(envelope.Encrypt, (envelope.Encrypt[0] == 'A' ? "B" : "A") + envelope.Encrypt[1..]);
        using var client = Api.CreateClient();
        var signature = WeChat.OfficialAccount.CallbackSignature.ComputeUrlSignature(WeChatTestAccount.Token, ts, nonce);

        var response = await client.PostAsync(
            $"/wechat/callback?signature={signature}&timestamp={ts}&nonce={nonce}&openid={openId}&encrypt_type=aes&msg_signature={envelope.MsgSignature}",
            WeChatTestAccount.XmlContent(tampered));

        Assert.Multiple(async () =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(await StoredFor(openId), Is.Zero);
        });
    }

    // Safe mode needs a valid msg_signature as well as the URL signature: a forged or missing one is refused before
    // anything is decrypted or stored, even with a valid URL signature.
    [TestCase("0000000000000000000000000000000000000000")]
    [TestCase("")]
    public async Task SafeMode_ForgedOrMissingMsgSignature_Returns401_AndStoresNothing(string msgSignature)
    {
        var openId = WeChatTestAccount.NewOpenId();
        var (ts, nonce) = (WeChatTestAccount.Now(), WeChatTestAccount.Nonce());
        var envelope = WeChatTestAccount.Crypto.EncryptInbound(WeChatTestAccount.OriginalId, WeChatTestAccount.Text(openId, "x", WeChatTestAccount.NewMsgId()), ts, nonce);
        using var client = Api.CreateClient();
        var signature = WeChat.OfficialAccount.CallbackSignature.ComputeUrlSignature(WeChatTestAccount.Token, ts, nonce);

        var response = await client.PostAsync(
            $"/wechat/callback?signature={signature}&timestamp={ts}&nonce={nonce}&openid={openId}&encrypt_type=aes&msg_signature={msgSignature}",
            WeChatTestAccount.XmlContent(envelope.Xml));

        Assert.Multiple(async () =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo("invalid msg_signature"));
            Assert.That(await StoredFor(openId), Is.Zero);
        });
    }

    // ...and the other way round: a valid msg_signature does not excuse a forged or missing URL signature.
    [TestCase("0000000000000000000000000000000000000000")]
    [TestCase("")]
    public async Task SafeMode_ForgedOrMissingUrlSignature_Returns401_AndStoresNothing(string signature)
    {
        var openId = WeChatTestAccount.NewOpenId();
        var (ts, nonce) = (WeChatTestAccount.Now(), WeChatTestAccount.Nonce());
        var envelope = WeChatTestAccount.Crypto.EncryptInbound(WeChatTestAccount.OriginalId, WeChatTestAccount.Text(openId, "x", WeChatTestAccount.NewMsgId()), ts, nonce);
        using var client = Api.CreateClient();

        var response = await client.PostAsync(
            $"/wechat/callback?signature={signature}&timestamp={ts}&nonce={nonce}&openid={openId}&encrypt_type=aes&msg_signature={envelope.MsgSignature}",
            WeChatTestAccount.XmlContent(envelope.Xml));

        Assert.Multiple(async () =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo("invalid signature"));
            Assert.That(await StoredFor(openId), Is.Zero);
        });
    }

    [Test]
    public async Task OpenIdQuery_NotMatchingSender_Returns400()
    {
        var (openId, other) = (WeChatTestAccount.NewOpenId(), WeChatTestAccount.NewOpenId());
        using var client = Api.CreateClient();

        var response = await client.PostAsync(WeChatTestAccount.PlainUrl(other), WeChatTestAccount.XmlContent(WeChatTestAccount.Text(openId, "x", WeChatTestAccount.NewMsgId())));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
    }
}
