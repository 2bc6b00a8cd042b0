using System.Globalization;
using System.Text;
using WeChatMall.WeChat.OfficialAccount;

// Usage: WeChatMall.Bench callback-requests <plain|aes> <count> <out-file> <token> <encodingAesKey> <appId> <keyword>
// Writes one request per line, "path<TAB>body", each signed exactly as WeChat signs it, each a distinct message
// (own nonce and MsgId), so wrk drives the full path rather than the retry cache.
if (args.Length != 8 || args[0] != "callback-requests")
{
    Console.Error.WriteLine("usage: callback-requests <plain|aes> <count> <out-file> <token> <encodingAesKey> <appId> <keyword>");
    return 2;
}
var (mode, count, outFile, token, aesKey, appId, keyword) =
    (args[1], int.Parse(args[2], CultureInfo.InvariantCulture), args[3], args[4], args[5], args[6], args[7]);
var crypto = mode == "aes" ? new MessageCrypto(token, aesKey, appId) : null;
var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
var runId = Random.Shared.NextInt64(1, 1_000_000);

using var writer = new StreamWriter(outFile, false, new UTF8Encoding(false));
for (var i = 0; i < count; i++)
{
    var openId = $"obench{i % 1000:D6}";
    var nonce = $"{runId}{i}";
    var msgId = runId * 10_000_000 + i;
    var xml = $"<xml><ToUserName><![CDATA[gh_bench]]></ToUserName><FromUserName><![CDATA[{openId}]]></FromUserName>" +
              $"<CreateTime>{timestamp}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[{keyword}]]></Content>" +
              $"<MsgId>{msgId}</MsgId></xml>";
    var signature = CallbackSignature.ComputeUrlSignature(token, timestamp, nonce);
    var path = $"/wechat/callback?signature={signature}&timestamp={timestamp}&nonce={nonce}&openid={openId}";
    var body = xml;
    if (crypto is not null)
    {
        var envelope = crypto.EncryptInbound("gh_bench", xml, timestamp, nonce);
        path += $"&encrypt_type=aes&msg_signature={envelope.MsgSignature}";
        body = envelope.Xml.Replace("\n", "", StringComparison.Ordinal);
    }
    writer.Write(path);
    writer.Write('\t');
    writer.WriteLine(body);
}
return 0;
