using System.Globalization;
using System.Text.Json.Serialization;

namespace WeChatMall.WeChat.Pay;

/// <summary>
/// What the app supplies for a JSAPI / mini-program prepay (JSAPI下单); appid, mchid and notify_url come from options.
/// Calling again with the same values and <see cref="OutTradeNo"/> returns a usable prepay_id (idempotent).
/// </summary>
public sealed record JsapiPrepayRequest(
    string OutTradeNo, string Description, long TotalFen, string PayerOpenId,
    DateTimeOffset? TimeExpire = null, string? Attach = null);

// Property order follows the official example; it is also the order we sign and send.
sealed record JsapiPrepayBody(
    [property: JsonPropertyName("appid")] string AppId,
    [property: JsonPropertyName("mchid")] string MchId,
    string Description,
    string OutTradeNo,
    string? TimeExpire,
    string? Attach,
    string NotifyUrl,
    PayAmount Amount,
    PayPayer Payer)
{
    public static JsapiPrepayBody From(JsapiPrepayRequest r, string appId, string mchId, string notifyUrl)
        => new(appId, mchId, r.Description, r.OutTradeNo, r.TimeExpire is { } t ? Rfc3339China(t) : null,
               r.Attach, notifyUrl, new PayAmount(r.TotalFen, "CNY"), new PayPayer(r.PayerOpenId));

    // WeChat Pay wants RFC3339 with an offset; +08:00 regardless of the server's zone (v2's yyyyMMddHHmmss is rejected).
    public static string Rfc3339China(DateTimeOffset t)
        => t.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
}

sealed record PayAmount(long Total, string Currency);

sealed record PayPayer([property: JsonPropertyName("openid")] string OpenId);

sealed record PrepayResponse(string PrepayId);

sealed record CloseBody([property: JsonPropertyName("mchid")] string MchId);
