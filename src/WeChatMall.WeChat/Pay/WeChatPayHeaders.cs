using System.Net.Http.Headers;

namespace WeChatMall.WeChat.Pay;

/// <summary>
/// The <c>Wechatpay-*</c> signature headers on API responses and notifications (签名验证 / 应答签名).
/// Any may be null when absent; the verifier rejects that.
/// </summary>
public sealed record WeChatPayHeaders(string? Timestamp, string? Nonce, string? Signature, string? Serial)
{
    public const string TimestampHeader = "Wechatpay-Timestamp";
    public const string NonceHeader = "Wechatpay-Nonce";
    public const string SignatureHeader = "Wechatpay-Signature";
    public const string SerialHeader = "Wechatpay-Serial";
    public const string SignatureTypeHeader = "Wechatpay-Signature-Type";
    public const string SignatureType = "WECHATPAY2-SHA256-RSA2048";

    /// <summary>Reads the headers through a lookup, e.g. <c>name => request.Headers[name]</c> in ASP.NET.</summary>
    public static WeChatPayHeaders From(Func<string, string?> header)
        => new(Blank(header(TimestampHeader)), Blank(header(NonceHeader)),
               Blank(header(SignatureHeader)), Blank(header(SerialHeader)));

    public static WeChatPayHeaders From(HttpResponseHeaders headers)
        => From(name => headers.TryGetValues(name, out var v) ? string.Join(",", v) : null);

    /// <summary>Name/value pairs to add to a response or notification request (sandbox side).</summary>
    public IEnumerable<KeyValuePair<string, string>> ToPairs()
    {
        yield return new(TimestampHeader, Timestamp ?? "");
        yield return new(NonceHeader, Nonce ?? "");
        yield return new(SignatureHeader, Signature ?? "");
        yield return new(SerialHeader, Serial ?? "");
        yield return new(SignatureTypeHeader, SignatureType);
    }

    static string? Blank(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
