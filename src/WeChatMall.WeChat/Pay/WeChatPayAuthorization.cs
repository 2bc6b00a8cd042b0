using System.Security.Cryptography;

namespace WeChatMall.WeChat.Pay;

/// <summary>
/// The merchant <c>Authorization</c> header of WeChat Pay API v3 (签名生成, 设置HTTP头):
/// <c>WECHATPAY2-SHA256-RSA2048 mchid="…",nonce_str="…",signature="…",timestamp="…",serial_no="…"</c>.
/// </summary>
public sealed record WeChatPayAuthorization(
    string MchId, string NonceStr, string Signature, string Timestamp, string SerialNo)
{
    public const string Scheme = "WECHATPAY2-SHA256-RSA2048";

    public override string ToString()
        => $"{Scheme} mchid=\"{MchId}\",nonce_str=\"{NonceStr}\",signature=\"{Signature}\","
           + $"timestamp=\"{Timestamp}\",serial_no=\"{SerialNo}\"";

    /// <summary>Parses the five <c>k="v"</c> pairs in any order; unknown or repeated keys are malformed.</summary>
    public static AuthorizationVerifyResult TryParse(string? header, out WeChatPayAuthorization? authorization)
    {
        authorization = null;
        if (string.IsNullOrWhiteSpace(header))
            return AuthorizationVerifyResult.MissingHeader;
        var space = header.IndexOf(' ');
        if (space <= 0 || !string.Equals(header[..space], Scheme, StringComparison.Ordinal))
            return AuthorizationVerifyResult.BadScheme;

        var pairs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var part in header[(space + 1)..].Split(','))
        {
            var item = part.Trim();
            var eq = item.IndexOf('=');
            if (eq <= 0 || item.Length < eq + 3 || item[eq + 1] != '"' || item[^1] != '"')
                return AuthorizationVerifyResult.Malformed;
            var key = item[..eq];
            if (key is not ("mchid" or "nonce_str" or "signature" or "timestamp" or "serial_no")
                || !pairs.TryAdd(key, item[(eq + 2)..^1]))
                return AuthorizationVerifyResult.Malformed;
        }
        if (pairs.Count != 5 || pairs.Values.Any(v => v.Length == 0 || v.Contains('"')))
            return AuthorizationVerifyResult.Malformed;

        authorization = new(pairs["mchid"], pairs["nonce_str"], pairs["signature"], pairs["timestamp"], pairs["serial_no"]);
        return AuthorizationVerifyResult.Valid;
    }

    /// <summary>Signs a request as the merchant and returns the header value to send.</summary>
    public static WeChatPayAuthorization Create(
        RSA merchantKey, string mchId, string serialNo, string method,
        string pathAndQuery, string timestamp, string nonce, ReadOnlySpan<byte> body)
    {
        var message = WeChatPaySignature.RequestMessage(method, pathAndQuery, timestamp, nonce, body);
        return new(mchId, nonce, WeChatPaySignature.Sign(merchantKey, message), timestamp, serialNo);
    }
}
