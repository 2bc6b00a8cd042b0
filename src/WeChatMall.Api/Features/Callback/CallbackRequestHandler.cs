using System.Text;
using Microsoft.Extensions.Options;
using WeChatMall.Api.Features.Members;
using WeChatMall.WeChat;
using WeChatMall.WeChat.OfficialAccount;
using WeChatMall.WeChat.OfficialAccount.Inbound;
using WeChatMall.WeChat.OfficialAccount.Replies;

namespace WeChatMall.Api.Features.Callback;

/// <summary>
/// verify → (decrypt) → parse → de-duplicate → process → (encrypt) → answer. Every refusal is a 4xx with a plain
/// reason and stores nothing: all checks run before the first write.
/// </summary>
public sealed class CallbackRequestHandler(
    IOptions<WeChatOptions> weChat, IOptions<CallbackOptions> options, MessageCryptoProvider cryptoProvider,
    CallbackGate gate, CallbackProcessor processor, CallbackRecorder recorder,
    ILogger<CallbackRequestHandler> logger)
{
    public async Task<IResult> HandleAsync(HttpContext http, CancellationToken ct)
    {
        var q = http.Request.Query;
        string? timestamp = q["timestamp"], nonce = q["nonce"], openId = q["openid"];
        var safeMode = string.Equals(q["encrypt_type"], "aes", StringComparison.OrdinalIgnoreCase);
        var mode = safeMode ? "aes" : "raw";
        IResult Reject(IResult result, string reason)
        {
            Log.Rejected(logger, reason, mode, openId is not null);
            return result;
        }

        var token = weChat.Value.OfficialAccount.Token;
        if (string.IsNullOrEmpty(token)) return WeChatText.NotConfigured();
        var crypto = cryptoProvider.Crypto;
        if (safeMode && crypto is null) return Reject(WeChatText.BadRequest("safe mode is not configured"), "aes without EncodingAESKey");

        var body = await RequestBody.ReadAsync(http.Request, options.Value.MaxBodyBytes, ct);
        if (body is null) return Reject(WeChatText.TooLarge(options.Value.MaxBodyBytes), "body too large");

        // WeChat sends the URL signature in every mode; safe mode's msg_signature (checked on decrypt) also covers
        // Encrypt. Both must hold: one valid signature does not vouch for a forged other.
        if (CallbackSignature.VerifyUrlSignature(token, timestamp, nonce, q["signature"]) != SignatureCheck.Valid)
            return Reject(WeChatText.Unauthorized("invalid signature"), "signature");

        string xml;
        var keySlot = AesKeySlot.Current;
        try
        {
            var text = Encoding.UTF8.GetString(body.Value.Span);
            if (safeMode)
            {
                var decrypted = crypto!.DecryptBody(text, timestamp, nonce, q["msg_signature"]);
                (xml, keySlot) = (decrypted.Xml, decrypted.Key);
            }
            else xml = text;
        }
        catch (WeChatCryptoException ex) when (ex.Error is WeChatCryptoError.SignatureMismatch or WeChatCryptoError.SignatureMissing)
        {
            return Reject(WeChatText.Unauthorized("invalid msg_signature"), ex.Error.ToString());
        }
        catch (Exception ex) when (ex is WeChatCryptoException or WeChatXmlException or DecoderFallbackException)
        {
            return Reject(WeChatText.BadRequest("undecryptable or malformed body"), ex.Message);
        }

        InboundMessage message;
        try { message = InboundMessageParser.Parse(xml, options.Value.MaxBodyBytes); }
        catch (WeChatXmlException ex) { return Reject(WeChatText.BadRequest($"malformed message: {ex.Error}"), ex.Message); }
        if (openId is not null && openId != message.FromUserName)
            return Reject(WeChatText.BadRequest("openid does not match FromUserName"), "openid mismatch");

        if (!gate.IsFresh(timestamp!)) return Reject(WeChatText.Unauthorized("stale timestamp"), "stale timestamp");
        // Deciding a product-code message claims in MySQL, so its replay and duplicate checks run first (read-only);
        // every other message is decided from caches and checked in the one admitting round trip below.
        var admitted = ClaimCodeByMessage.Handles(message)
            ? await gate.PeekAsync(timestamp!, nonce!, body.Value, message.DedupKey)
            : null;
        if (admitted?.Admission is not (CallbackGate.Admission.ReplayedWithOtherBody or CallbackGate.Admission.Duplicate))
        {
            // A product-code message whose read-only check already found Redis down is decided and recorded without
            // another Redis wait: each wait costs Redis:CallTimeoutMs, and the answer must stay within the budget.
            var redisDown = admitted?.Admission == CallbackGate.Admission.RedisUnavailable;
            var decision = await processor.DecideAsync(message, ct, redisDown);
            admitted = redisDown
                ? new CallbackGate.AdmitResult(CallbackGate.Admission.RedisUnavailable, decision.Reply)
                : await gate.AdmitAsync(timestamp!, nonce!, body.Value, message.DedupKey, decision.Reply, decision.Record);
            if (admitted.Admission == CallbackGate.Admission.RedisUnavailable)
                await recorder.RecordAsync([decision.Record], ct); // written at once; MySQL's unique dedup key stops a second effect
        }
        switch (admitted.Admission)
        {
            case CallbackGate.Admission.ReplayedWithOtherBody:
                return Reject(WeChatText.Conflict("signature already used for another body"), "replay with other body");
            case CallbackGate.Admission.Duplicate:
                Log.RetryAnswered(logger, message.MsgType);
                break;
        }

        var reply = admitted.Reply;
        if (reply is "" or PassiveReply.SuccessBody) return WeChatText.Success();
        return safeMode ? WeChatText.Xml(crypto!.EncryptReply(reply, timestamp!, nonce!, keySlot).Xml) : WeChatText.Xml(reply);
    }
}
