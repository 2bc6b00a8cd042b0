using System.Security.Cryptography;

namespace WeChatMall.WeChat.OfficialAccount;

/// <summary>
/// Safe-mode message encryption (消息加解密, WXBizMsgCrypt, docs/wechat-protocol.md#safe-mode) for one Official Account.
/// Serves both sides: our callback (decrypt inbound, encrypt reply) and the sandbox playing WeChat
/// (<see cref="EncryptInbound"/>, <see cref="OpenReplyEnvelope"/>).
/// </summary>
public sealed class MessageCrypto(string token, string encodingAesKey, string appId, string? previousEncodingAesKey = null)
{
    readonly MessageCipher _current = new(encodingAesKey);
    readonly MessageCipher? _previous = string.IsNullOrEmpty(previousEncodingAesKey) ? null : new(previousEncodingAesKey);

    public static MessageCrypto FromOptions(OfficialAccountOptions options) =>
        new(options.Token, options.EncodingAESKey, options.AppId, options.PreviousEncodingAESKey);

    /// <summary>Parses a safe/compatible-mode POST body, verifies msg_signature and decrypts &lt;Encrypt&gt;.</summary>
    public DecryptedMessage DecryptBody(string bodyXml, string? timestamp, string? nonce, string? msgSignature)
    {
        var encrypt = CallbackEnvelope.Parse(bodyXml).Encrypt
            ?? throw new WeChatCryptoException(WeChatCryptoError.MissingEncrypt, "The body has no <Encrypt> element.");
        return Decrypt(encrypt, timestamp, nonce, msgSignature);
    }

    /// <summary>Verifies msg_signature over the Encrypt string as received, then decrypts it.</summary>
    public DecryptedMessage Decrypt(string encrypt, string? timestamp, string? nonce, string? msgSignature)
    {
        switch (CallbackSignature.VerifyMessageSignature(token, timestamp, nonce, encrypt, msgSignature))
        {
            case SignatureCheck.Missing:
                throw new WeChatCryptoException(WeChatCryptoError.SignatureMissing, "msg_signature, timestamp, nonce or Encrypt is missing.");
            case SignatureCheck.Mismatch:
                throw new WeChatCryptoException(WeChatCryptoError.SignatureMismatch, "msg_signature does not match.");
        }
        var cipher = DecodeBase64(encrypt);
        try
        {
            return new DecryptedMessage(_current.Decrypt(cipher, appId), AesKeySlot.Current);
        }
        catch (WeChatCryptoException) when (_previous is not null)
        {
            // The admin may rotate the key while messages encrypted with the old one are still in flight.
            try { return new DecryptedMessage(_previous.Decrypt(cipher, appId), AesKeySlot.Previous); }
            catch (WeChatCryptoException) { }
            throw;
        }
    }

    public string Encrypt(string message, AesKeySlot key = AesKeySlot.Current)
        => Encrypt(message, RandomNumberGenerator.GetBytes(16), key);

    internal string Encrypt(string message, ReadOnlySpan<byte> random16, AesKeySlot key = AesKeySlot.Current)
        => Cipher(key).Encrypt(message, appId, random16);

    /// <summary>Encrypts a passive reply into the envelope of docs/wechat-protocol.md#encrypted-reply, with the key that opened the request.</summary>
    public EncryptedEnvelope EncryptReply(string replyXml, string timestamp, string nonce, AesKeySlot key = AesKeySlot.Current)
        => EncryptReply(replyXml, timestamp, nonce, key, RandomNumberGenerator.GetBytes(16));

    internal EncryptedEnvelope EncryptReply(string replyXml, string timestamp, string nonce, AesKeySlot key, ReadOnlySpan<byte> random16)
    {
        var encrypt = Encrypt(replyXml, random16, key);
        var signature = CallbackSignature.ComputeMessageSignature(token, timestamp, nonce, encrypt);
        var xml = new XmlFragmentWriter()
            .Cdata("Encrypt", encrypt).Cdata("MsgSignature", signature)
            .Raw("TimeStamp", timestamp).Cdata("Nonce", nonce).ToXml();
        return new EncryptedEnvelope(xml, encrypt, signature, timestamp, nonce);
    }

    /// <summary>WeChat's side: a safe-mode POST body; send <c>MsgSignature</c> as the msg_signature query value.</summary>
    public EncryptedEnvelope EncryptInbound(string toUserName, string messageXml, string timestamp, string nonce)
    {
        var encrypt = Encrypt(messageXml);
        var signature = CallbackSignature.ComputeMessageSignature(token, timestamp, nonce, encrypt);
        var xml = new XmlFragmentWriter().Cdata("ToUserName", toUserName).Cdata("Encrypt", encrypt).ToXml();
        return new EncryptedEnvelope(xml, encrypt, signature, timestamp, nonce);
    }

    /// <summary>WeChat's side: parses a reply envelope (docs/wechat-protocol.md#encrypted-reply), verifies MsgSignature and decrypts it.</summary>
    public DecryptedMessage OpenReplyEnvelope(string envelopeXml)
    {
        var root = SafeXml.Parse(envelopeXml);
        var encrypt = root.Child("Encrypt")
            ?? throw new WeChatCryptoException(WeChatCryptoError.MissingEncrypt, "The envelope has no <Encrypt> element.");
        return Decrypt(encrypt, root.Child("TimeStamp"), root.Child("Nonce"), root.Child("MsgSignature"));
    }

    MessageCipher Cipher(AesKeySlot key) => key == AesKeySlot.Current
        ? _current
        : _previous ?? throw new InvalidOperationException("No previous EncodingAESKey is configured.");

    static byte[] DecodeBase64(string encrypt)
    {
        var buffer = new byte[encrypt.Length * 3 / 4 + 3];
        if (!Convert.TryFromBase64String(encrypt, buffer, out var written))
            throw new WeChatCryptoException(WeChatCryptoError.InvalidBase64, "Encrypt is not valid base64.");
        return buffer[..written];
    }
}
