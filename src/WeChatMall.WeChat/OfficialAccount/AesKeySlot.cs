namespace WeChatMall.WeChat.OfficialAccount;

/// <summary>Which EncodingAESKey opened a message; encrypt the reply with the same one (§1.1 key rotation).</summary>
public enum AesKeySlot { Current, Previous }

/// <summary>A decrypted safe-mode payload and the key that decrypted it (§1.4).</summary>
public sealed record DecryptedMessage(string Xml, AesKeySlot Key);

/// <summary>An encrypted envelope ready to send, with the values that signed it (§1.5).</summary>
public sealed record EncryptedEnvelope(string Xml, string Encrypt, string MsgSignature, string TimeStamp, string Nonce);
