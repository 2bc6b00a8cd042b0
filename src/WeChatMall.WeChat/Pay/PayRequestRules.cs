using System.Text.RegularExpressions;

namespace WeChatMall.WeChat.Pay;

/// <summary>
/// Checks done before sending (JSAPI下单 / 申请退款 field rules), so a bad value fails here with a clear message
/// rather than as PARAM_ERROR or SIGN_ERROR from WeChat Pay.
/// </summary>
public static partial class PayRequestRules
{
    // WeChat Pay also allows | and *, but .NET percent-encodes | in paths, which breaks the signed URL; we never use them.
    [GeneratedRegex("^[0-9A-Za-z_-]{6,32}$")]
    private static partial Regex OutTradeNoPattern();

    [GeneratedRegex("^[0-9A-Za-z_@-]{1,64}$")]
    private static partial Regex OutRefundNoPattern();

    public static bool IsValidOutTradeNo(string? value) => value is not null && OutTradeNoPattern().IsMatch(value);

    public static bool IsValidOutRefundNo(string? value) => value is not null && OutRefundNoPattern().IsMatch(value);

    /// <summary>1–127 characters, none outside the Basic Multilingual Plane (WeChat Pay rejects 4-byte UTF-8, e.g. emoji).</summary>
    public static bool IsValidDescription(string? value)
        => !string.IsNullOrEmpty(value) && value.Length <= 127 && !value.Any(char.IsSurrogate);

    internal static void Validate(JsapiPrepayRequest r)
    {
        Require(IsValidOutTradeNo(r.OutTradeNo), nameof(r.OutTradeNo), "must be 6–32 characters of [0-9A-Za-z_-]");
        Require(IsValidDescription(r.Description), nameof(r.Description), "must be 1–127 characters without emoji");
        Require(r.TotalFen > 0, nameof(r.TotalFen), "must be positive");
        Require(!string.IsNullOrEmpty(r.PayerOpenId), nameof(r.PayerOpenId), "is required");
        Require(r.Attach is null || (r.Attach.Length <= 128 && !r.Attach.Any(char.IsSurrogate)), nameof(r.Attach),
                "must be at most 128 characters without emoji");
    }

    internal static void Validate(RefundRequest r)
    {
        Require(IsValidOutTradeNo(r.OutTradeNo), nameof(r.OutTradeNo), "must be 6–32 characters of [0-9A-Za-z_-]");
        Require(IsValidOutRefundNo(r.OutRefundNo), nameof(r.OutRefundNo), "must be 1–64 characters of [0-9A-Za-z_@-]");
        Require(r.RefundFen > 0 && r.RefundFen <= r.TotalFen, nameof(r.RefundFen), "must be positive and at most the total");
        Require(r.Reason is null || !r.Reason.Any(char.IsSurrogate), nameof(r.Reason), "must not contain emoji");
    }

    internal static void RequireOutTradeNo(string value)
        => Require(IsValidOutTradeNo(value), "outTradeNo", "must be 6–32 characters of [0-9A-Za-z_-]");

    internal static void RequireOutRefundNo(string value)
        => Require(IsValidOutRefundNo(value), "outRefundNo", "must be 1–64 characters of [0-9A-Za-z_@-]");

    internal static void RequireTransactionId(string value)
        => Require(value is { Length: > 0 and <= 32 } && value.All(char.IsAsciiLetterOrDigit), "transactionId",
                   "must be 1–32 letters or digits");

    static void Require(bool ok, string name, string rule)
    {
        if (!ok)
            throw new ArgumentException($"{name} {rule}.", name);
    }
}
