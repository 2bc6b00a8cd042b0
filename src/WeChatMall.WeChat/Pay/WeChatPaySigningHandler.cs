using System.Globalization;
using System.Net.Http.Headers;
using Microsoft.Extensions.Options;

namespace WeChatMall.WeChat.Pay;

/// <summary>
/// Signs every outgoing API v3 request (签名生成). It sits inside the retry handler, so each attempt is signed
/// afresh with a new timestamp and nonce, over the exact body bytes and the path and query as sent on the wire.
/// </summary>
public sealed class WeChatPaySigningHandler(
    WeChatPayCredentials credentials, IOptions<WeChatPayOptions> options, TimeProvider time) : DelegatingHandler
{
    const string UserAgent = "WeChatMall.WeChat/1.0 (.NET)";

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var o = options.Value;
        var body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken);
        var timestamp = time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var auth = WeChatPayAuthorization.Create(credentials.MerchantPrivateKey, o.MchId, o.MerchantSerialNo,
            request.Method.Method, request.RequestUri!.PathAndQuery, timestamp, WeChatPaySignature.NewNonce(), body);

        request.Headers.Remove("Authorization");
        request.Headers.TryAddWithoutValidation("Authorization", auth.ToString());
        if (request.Headers.Accept.Count == 0)
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        // WeChat Pay answers 400 INVALID_REQUEST when User-Agent is missing.
        if (request.Headers.UserAgent.Count == 0)
            request.Headers.TryAddWithoutValidation("User-Agent", UserAgent);
        // In public-key mode this header asks WeChat Pay to sign its response with the public key, not a certificate.
        request.Headers.Remove(WeChatPayHeaders.SerialHeader);
        if (o.UsesPublicKey)
            request.Headers.TryAddWithoutValidation(WeChatPayHeaders.SerialHeader, o.PlatformPublicKeyId);

        return await base.SendAsync(request, cancellationToken);
    }
}
