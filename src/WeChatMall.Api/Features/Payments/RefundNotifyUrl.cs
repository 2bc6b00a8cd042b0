using WeChatMall.WeChat.Pay;

namespace WeChatMall.Api.Features.Payments;

/// <summary>
/// The notify_url sent with every refund. Without one WeChat Pay never posts REFUND.SUCCESS and a refund settles only
/// when reconciliation polls, so when WeChatPay:RefundNotifyUrl is unset it is derived from WeChatPay:NotifyUrl:
/// the same URL with its /pay/notify ending replaced by /pay/refund-notify (a proxy path prefix is kept), otherwise
/// the same origin with the path /pay/refund-notify.
/// </summary>
public static class RefundNotifyUrl
{
    public const string NotifyPath = "/pay/notify";
    public const string RefundNotifyPath = "/pay/refund-notify";

    public static string? For(WeChatPayOptions options)
    {
        if (!string.IsNullOrEmpty(options.RefundNotifyUrl)) return options.RefundNotifyUrl;
        if (!Uri.TryCreate(options.NotifyUrl, UriKind.Absolute, out var notify)) return null;
        var path = notify.AbsolutePath.TrimEnd('/');
        var refundPath = path.EndsWith(NotifyPath, StringComparison.Ordinal)
            ? path[..^NotifyPath.Length] + RefundNotifyPath
            : RefundNotifyPath;
        return new UriBuilder(notify) { Path = refundPath, Query = "", Fragment = "" }.Uri.ToString();
    }
}
