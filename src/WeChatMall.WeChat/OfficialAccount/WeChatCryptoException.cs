namespace WeChatMall.WeChat.OfficialAccount;

/// <summary>Why a message could not be decrypted or verified (Tencent sample codes -40001…-40011, docs/wechat-protocol.md#safe-mode).</summary>
public enum WeChatCryptoError
{
    SignatureMissing,
    SignatureMismatch,
    InvalidAesKey,
    InvalidBase64,
    InvalidLength,
    InvalidPadding,
    AppIdMismatch,
    MissingEncrypt,
}

/// <summary>Raised by <see cref="MessageCrypto"/> when safe-mode crypto fails (消息加解密 docs/wechat-protocol.md#safe-mode).</summary>
public sealed class WeChatCryptoException(WeChatCryptoError error, string message) : Exception(message)
{
    public WeChatCryptoError Error { get; } = error;
}
