namespace WeChatMall.WeChat.OfficialAccount;

/// <summary>
/// The outer callback body (§1.1): safe mode carries only ToUserName and Encrypt; compatible mode carries the
/// plain fields as well. <see cref="Encrypt"/> is null for a plaintext body.
/// </summary>
public sealed record CallbackEnvelope(string? ToUserName, string? Encrypt)
{
    public static CallbackEnvelope Parse(string bodyXml, int maxCharacters = SafeXml.DefaultMaxCharacters)
    {
        if (SafeXml.TryParseFlat(bodyXml, maxCharacters) is { } fields)
            return new CallbackEnvelope(fields.Child("ToUserName"), fields.Child("Encrypt") is { Length: > 0 } f ? f : null);
        var root = SafeXml.Parse(bodyXml, maxCharacters);
        return new CallbackEnvelope(root.Child("ToUserName"), root.Child("Encrypt") is { Length: > 0 } e ? e : null);
    }
}
