namespace WeChatMall.WeChat.OfficialAccount;

/// <summary>Which EncodingAESKey opened a message; encrypt the reply with the same one (docs/wechat-protocol.md#key-rotation).</summary>
public enum AesKeySlot { Current, Previous }

/// <summary>A decrypted safe-mode payload and the key that decrypted it (docs/wechat-protocol.md#safe-mode).</summary>
public sealed record DecryptedMessage(string Xml, AesKeySlot Key);

/// <summary>An encrypted envelope ready to send, with the values that signed it (docs/wechat-protocol.md#encrypted-reply).</summary>
public sealed record EncryptedEnvelope(string Xml, string Encrypt, string MsgSignature, string TimeStamp, string Nonce);
