using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using WeChatMall.Sandbox.Recording;
using WeChatMall.WeChat.OfficialAccount;
using WeChatMall.WeChat.OfficialAccount.Replies;

namespace WeChatMall.Sandbox.Followers;

/// <summary>
/// Pushes a follower's message or event to the app exactly as WeChat does (docs/wechat-protocol.md#callback-signature and #safe-mode, docs/wechat-protocol.md#retries-and-de-duplication, docs/wechat-protocol.md#sandbox-checklist): signed query,
/// optional safe-mode encryption, a per-attempt timeout and up to 3 identical re-sends, then verifies and decrypts
/// the reply (checking the appid) before "showing" it.
/// </summary>
public sealed class FollowerSimulator(
    IHttpClientFactory httpFactory, SandboxRuntime runtime, IOptions<SandboxOptions> options, MessageLog messages,
    CallbackLog callbacks, TimeProvider time, ILogger<FollowerSimulator> logger)
{
    public const string HttpClientName = "callback";
    readonly MessageCrypto _crypto = new(options.Value.OfficialAccount.Token, options.Value.OfficialAccount.EncodingAESKey,
                                         options.Value.OfficialAccount.AppId);

    public string OriginalId => options.Value.OfficialAccount.OriginalId;

    public long Now() => time.GetUtcNow().ToUnixTimeSeconds();

    public async Task<CallbackDelivery> DeliverAsync(string openId, string what, string xml, bool? safeMode, CancellationToken ct)
    {
        var o = options.Value;
        var safe = safeMode ?? runtime.SafeMode;
        var callbackUrl = runtime.CallbackUrl;
        if (string.IsNullOrEmpty(callbackUrl))
            return Record(openId, what, safe, DeliveryStatus.Failed, 0, null, "no CallbackUrl configured (PUT /sandbox/config)", xml, null, null);

        var timestamp = Now().ToString(CultureInfo.InvariantCulture);
        var nonce = RandomNumberGenerator.GetInt32(100_000_000, int.MaxValue).ToString(CultureInfo.InvariantCulture);
        var query = $"signature={CallbackSignature.ComputeUrlSignature(o.OfficialAccount.Token, timestamp, nonce)}" +
                    $"&timestamp={timestamp}&nonce={nonce}&openid={Uri.EscapeDataString(openId)}";
        var body = xml;
        if (safe)
        {
            var envelope = _crypto.EncryptInbound(o.OfficialAccount.OriginalId, xml, timestamp, nonce);
            body = envelope.Xml;
            query += $"&encrypt_type=aes&msg_signature={envelope.MsgSignature}";
        }
        var url = callbackUrl + (callbackUrl.Contains('?') ? "&" : "?") + query;

        var http = httpFactory.CreateClient(HttpClientName);
        int? status = null;
        string? error = null;
        var attempts = 0;
        for (var attempt = 0; attempt <= o.CallbackRetries; attempt++)
        {
            attempts++;
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(o.CallbackTimeoutMs);
            try
            {
                using var content = new StringContent(body, Encoding.UTF8, "text/xml");
                using var response = await http.PostAsync(url, content, timeout.Token);
                status = (int)response.StatusCode;
                var raw = await response.Content.ReadAsStringAsync(timeout.Token);
                if (status == 200) return Interpret(openId, what, safe, attempts, raw, xml);
                error = $"HTTP {status}";
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                (status, error) = (null, $"no answer within {o.CallbackTimeoutMs} ms");
            }
            catch (HttpRequestException e)
            {
                (status, error) = (null, e.Message);
            }
            Log.CallbackAttemptFailed(logger, attempts, error);
        }
        return Record(openId, what, safe, DeliveryStatus.Failed, attempts, status, error, xml, null, null);
    }

    CallbackDelivery Interpret(string openId, string what, bool safe, int attempts, string raw, string requestXml)
    {
        // "success" or a 0-byte body: received, nothing to show, no retry.
        if (raw.Length == 0 || raw == PassiveReply.SuccessBody)
            return Record(openId, what, safe, DeliveryStatus.NoReply, attempts, 200, null, requestXml, raw, null);
        try
        {
            var xml = raw;
            if (safe)
            {
                if (CallbackEnvelope.Parse(raw).Encrypt is null)
                    return Invalid("safe mode: the reply is not an encrypted envelope");
                xml = _crypto.OpenReplyEnvelope(raw).Xml;   // verifies MsgSignature and the appid inside
            }
            var reply = ReplyView.Parse(xml);
            if (reply.ToUserName != openId) return Invalid($"ToUserName {reply.ToUserName} is not the follower");
            if (reply.FromUserName != OriginalId) return Invalid($"FromUserName {reply.FromUserName} is not the account");
            messages.Add(openId, MessageKinds.Passive, reply.MsgType, reply.Summary, xml);
            return Record(openId, what, safe, DeliveryStatus.Replied, attempts, 200, null, requestXml, raw, reply);
        }
        catch (Exception e) when (e is WeChatCryptoException or WeChatXmlException)
        {
            return Invalid(e.Message);
        }

        CallbackDelivery Invalid(string why) =>
            Record(openId, what, safe, DeliveryStatus.InvalidReply, attempts, 200, why, requestXml, raw, null);
    }

    CallbackDelivery Record(string openId, string what, bool safe, string status, int attempts, int? httpStatus,
        string? error, string requestXml, string? raw, ReplyView? reply)
    {
        var delivery = new CallbackDelivery(callbacks.NextId(), time.GetUtcNow(), openId, what, safe, status, attempts,
                                            httpStatus, error, requestXml, raw, reply);
        callbacks.Add(delivery);
        return delivery;
    }
}

static partial class Log
{
    [LoggerMessage(5001, LogLevel.Warning, "Callback attempt {Attempt} failed: {Error}")]
    public static partial void CallbackAttemptFailed(ILogger logger, int attempt, string? error);
}
