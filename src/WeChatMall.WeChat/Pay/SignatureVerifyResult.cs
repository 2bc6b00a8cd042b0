namespace WeChatMall.WeChat.Pay;

/// <summary>Outcome of verifying a WeChat Pay response or notification signature (签名验证).</summary>
public enum SignatureVerifyResult
{
    Valid,
    MissingHeader,
    Malformed,
    StaleTimestamp,
    UnknownSerial,
    /// <summary>A deliberate <c>WECHATPAY/SIGNTEST/</c> probe: never valid, reported apart so it can be logged.</summary>
    SignatureProbe,
    Mismatch,
}
