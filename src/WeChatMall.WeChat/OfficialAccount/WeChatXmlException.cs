namespace WeChatMall.WeChat.OfficialAccount;

/// <summary>Why untrusted callback XML was refused (docs/wechat-protocol.md#untrusted-xml, docs/wechat-protocol.md#pitfalls).</summary>
public enum WeChatXmlError { Empty, TooLarge, DtdProhibited, Malformed, MissingField, InvalidValue }

/// <summary>Raised by <see cref="SafeXml"/> and the callback parsers instead of any parser or I/O exception.</summary>
public sealed class WeChatXmlException(WeChatXmlError error, string message, Exception? inner = null)
    : Exception(message, inner)
{
    public WeChatXmlError Error { get; } = error;
}
