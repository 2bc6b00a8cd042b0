using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using WeChatMall.WeChat.OfficialAccount;

namespace WeChatMall.Api.Tests.TestHost;

/// <summary>The Official Account the tests configure, and a client that calls /wechat/callback exactly as WeChat does.</summary>
public static class WeChatTestAccount
{
    public const string AppId = "wxtest0000000001";
    public const string Token = "testtoken123";
    public const string EncodingAesKey = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";
    public const string OriginalId = "gh_test00000001";

    public static MessageCrypto Crypto { get; } = new(Token, EncodingAesKey, AppId);

    public static string NewOpenId() => "o" + Guid.NewGuid().ToString("N")[..27];

    public static string Now() => DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);

    public static string Nonce() => Random.Shared.NextInt64(1_000_000_000, 9_999_999_999).ToString(CultureInfo.InvariantCulture);

    /// <summary>Signed plaintext-mode URL (signature over token, timestamp, nonce; openid in the query as WeChat sends it).</summary>
    public static string PlainUrl(string openId, string? timestamp = null, string? nonce = null)
    {
        timestamp ??= Now();
        nonce ??= Nonce();
        var signature = CallbackSignature.ComputeUrlSignature(Token, timestamp, nonce);
        return $"/wechat/callback?signature={signature}&timestamp={timestamp}&nonce={nonce}&openid={openId}";
    }

    public static Task<HttpResponseMessage> PostPlainAsync(this HttpClient client, string openId, string xml) =>
        client.PostAsync(PlainUrl(openId), XmlContent(xml));

    /// <summary>Safe mode: the body carries only Encrypt; msg_signature covers it.</summary>
    public static Task<HttpResponseMessage> PostSafeAsync(this HttpClient client, string openId, string xml)
    {
        var (timestamp, nonce) = (Now(), Nonce());
        var envelope = Crypto.EncryptInbound(OriginalId, xml, timestamp, nonce);
        var signature = CallbackSignature.ComputeUrlSignature(Token, timestamp, nonce);
        var url = $"/wechat/callback?signature={signature}&timestamp={timestamp}&nonce={nonce}&openid={openId}" +
                  $"&encrypt_type=aes&msg_signature={envelope.MsgSignature}";
        return client.PostAsync(url, XmlContent(envelope.Xml));
    }

    public static StringContent XmlContent(string xml)
    {
        var content = new StringContent(xml, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("text/xml");
        return content;
    }

    public static string Text(string openId, string content, long msgId) =>
        $"<xml><ToUserName><![CDATA[{OriginalId}]]></ToUserName><FromUserName><![CDATA[{openId}]]></FromUserName>" +
        $"<CreateTime>{Now()}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[{content}]]></Content>" +
        $"<MsgId>{msgId}</MsgId></xml>";

    public static string Event(string openId, string @event, string? eventKey = null, long? createTime = null) =>
        $"<xml><ToUserName><![CDATA[{OriginalId}]]></ToUserName><FromUserName><![CDATA[{openId}]]></FromUserName>" +
        $"<CreateTime>{createTime ?? DateTimeOffset.UtcNow.ToUnixTimeSeconds()}</CreateTime><MsgType><![CDATA[event]]></MsgType>" +
        $"<Event><![CDATA[{@event}]]></Event>" +
        (eventKey is null ? "" : $"<EventKey><![CDATA[{eventKey}]]></EventKey><Ticket><![CDATA[ticket-{eventKey}]]></Ticket>") + "</xml>";

    public static long NewMsgId() => Random.Shared.NextInt64(1_000_000_000_000, long.MaxValue);
}
