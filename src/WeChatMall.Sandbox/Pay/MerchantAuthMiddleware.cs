using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using WeChatMall.WeChat.Pay;

namespace WeChatMall.Sandbox.Pay;

/// <summary>
/// Every /v3 request: a User-Agent is required, then the merchant's Authorization is verified over the exact bytes
/// received; any failure is 401 SIGN_ERROR, as WeChat Pay answers.
/// </summary>
public sealed class MerchantAuthMiddleware(RequestDelegate next, PayKeys keys, IOptions<SandboxOptions> options, TimeProvider time)
{
    public async Task InvokeAsync(HttpContext http)
    {
        if (!http.Request.Path.StartsWithSegments("/v3"))
        {
            await next(http);
            return;
        }
        if (!keys.Configured)
        {
            await PayResult.Error(500, "SYSTEM_ERROR", "sandbox: Sandbox:Merchant:PublicKeyPath and Sandbox:Platform:PrivateKeyPath are not configured").ExecuteAsync(http);
            return;
        }
        if (string.IsNullOrEmpty(http.Request.Headers.UserAgent))
        {
            await PayResult.Error(400, "INVALID_REQUEST", "Http头缺少Accept或User-Agent").ExecuteAsync(http);
            return;
        }
        http.Request.EnableBuffering();
        using var buffer = new MemoryStream();
        await http.Request.Body.CopyToAsync(buffer, http.RequestAborted);
        http.Request.Body.Position = 0;

        var merchant = options.Value.Merchant;
        var pathAndQuery = http.Request.Path.Value + http.Request.QueryString.Value;
        var result = new MerchantRequestVerifier(time).Verify(
            http.Request.Headers.Authorization, http.Request.Method, pathAndQuery, buffer.ToArray(),
            a => a.MchId == merchant.MchId && string.Equals(a.SerialNo, merchant.SerialNo, StringComparison.OrdinalIgnoreCase)
                ? keys.MerchantPublicKey : null,
            out _);
        if (result != AuthorizationVerifyResult.Valid)
        {
            await PayResult.Error(401, "SIGN_ERROR", $"签名错误 (sandbox: {result})").ExecuteAsync(http);
            return;
        }
        await next(http);
    }
}
