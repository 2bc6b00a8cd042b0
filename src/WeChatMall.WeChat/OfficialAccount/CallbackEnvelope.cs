using WeChatMall.WeChat.OfficialAccount.Inbound;

namespace WeChatMall.WeChat.OfficialAccount;

/// <summary>
/// The outer callback body (docs/wechat-protocol.md#callback-modes): safe mode carries only ToUserName and Encrypt; compatible mode carries the
/// plain fields as well. <see cref="Encrypt"/> is null for a plaintext body.
/// </summary>
public sealed record CallbackEnvelope(string? ToUserName, string? Encrypt)
{
    public static CallbackEnvelope Parse(string bodyXml, int maxCharacters = SafeXml.DefaultMaxCharacters)
    {
        var f = XmlFields.Parse(bodyXml, maxCharacters);
        return new CallbackEnvelope(f.Optional("ToUserName"), f.Optional("Encrypt") is { Length: > 0 } e ? e : null);
    }
}
