using System.Security.Cryptography;

namespace WeChatMall.Api.Features.Orders;

/// <summary>Order numbers: 14 digits of UTC time and 10 random digits (24 chars, within WeChat Pay's out_trade_no rules).</summary>
public static class OrderNumbers
{
    public static string New(DateTime now) =>
        now.ToString("yyyyMMddHHmmss", System.Globalization.CultureInfo.InvariantCulture)
        + RandomNumberGenerator.GetInt32(0, 100_000).ToString("D5", System.Globalization.CultureInfo.InvariantCulture)
        + RandomNumberGenerator.GetInt32(0, 100_000).ToString("D5", System.Globalization.CultureInfo.InvariantCulture);
}
