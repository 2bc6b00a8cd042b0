using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Serialization;

namespace WeChatMall.WeChat.Pay;

/// <summary>
/// Parameters for <c>wx.requestPayment</c> (mini-program) or <c>getBrandWCPayRequest</c> (OA H5) (JSAPI调起支付).
/// JSON names are the case-sensitive client keys; all values are strings, the timestamp in seconds.
/// </summary>
public sealed record RequestPayment(
    [property: JsonPropertyName("appId")] string AppId,
    [property: JsonPropertyName("timeStamp")] string TimeStamp,
    [property: JsonPropertyName("nonceStr")] string NonceStr,
    [property: JsonPropertyName("package")] string Package,
    [property: JsonPropertyName("signType")] string SignType,
    [property: JsonPropertyName("paySign")] string PaySign)
{
    public static RequestPayment Create(RSA merchantPrivateKey, string appId, string prepayId, TimeProvider time)
        => Create(merchantPrivateKey, appId, prepayId,
                  time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), WeChatPaySignature.NewNonce());

    public static RequestPayment Create(
        RSA merchantPrivateKey, string appId, string prepayId, string timeStamp, string nonceStr)
    {
        var package = "prepay_id=" + prepayId;
        // wx.requestPayment takes no appId, but the mini-program appid is still the first signed line.
        var paySign = WeChatPaySignature.Sign(
            merchantPrivateKey, WeChatPaySignature.PaySignMessage(appId, timeStamp, nonceStr, package));
        return new(appId, timeStamp, nonceStr, package, "RSA", paySign);
    }
}
