namespace WeChatMall.WeChat.Pay;

/// <summary>Outcome of checking a merchant request's <c>Authorization</c> header (签名验证, WeChat Pay side).</summary>
public enum AuthorizationVerifyResult
{
    Valid,
    MissingHeader,
    BadScheme,
    Malformed,
    UnknownMerchant,
    StaleTimestamp,
    Mismatch,
}
