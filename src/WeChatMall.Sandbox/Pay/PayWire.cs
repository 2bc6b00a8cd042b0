using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using WeChatMall.WeChat.Pay;

namespace WeChatMall.Sandbox.Pay;

/// <summary>
/// The sandbox's WeChat Pay keys: the merchant public key it verifies requests with and the platform key it signs
/// responses and notifications with (public-key mode, serial PUB_KEY_ID_…).
/// </summary>
public sealed class PayKeys(IOptions<SandboxOptions> options, TimeProvider time)
{
    readonly Lazy<RSA?> _merchant = new(() => Load(options.Value.Merchant.PublicKeyPath, PemKeys.LoadPublicKeyFile));
    readonly Lazy<RSA?> _platform = new(() => Load(options.Value.Platform.PrivateKeyPath, PemKeys.LoadPrivateKeyFile));

    public bool Configured => _merchant.Value is not null && _platform.Value is not null;
    public RSA? MerchantPublicKey => _merchant.Value;
    public WeChatPayResponseSigner Signer => new(_platform.Value!, options.Value.Platform.PublicKeyId, time);

    static RSA? Load(string path, Func<string, RSA> load) => string.IsNullOrEmpty(path) ? null : load(path);
}

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

/// <summary>A WeChat Pay answer: JSON (or empty for 204), signed with the platform key, with a Request-ID.</summary>
public sealed class PayResult(int status, object? body) : IResult
{
    public static PayResult Ok(object body) => new(200, body);
    public static PayResult NoContent() => new(204, null);
    public static PayResult Error(int status, string code, string message) => new(status, new { code, message });

    public async Task ExecuteAsync(HttpContext http)
    {
        var bytes = body is null ? [] : Encoding.UTF8.GetBytes(WeChatPayJson.Serialize(body));
        var keys = http.RequestServices.GetRequiredService<PayKeys>();
        http.Response.StatusCode = status;
        http.Response.Headers["Request-ID"] = Guid.NewGuid().ToString("N").ToUpperInvariant();
        if (keys.Configured)
            foreach (var (name, value) in keys.Signer.Sign(bytes).ToPairs()) http.Response.Headers[name] = value;
        if (body is null) return;
        http.Response.ContentType = "application/json";
        await http.Response.Body.WriteAsync(bytes, http.RequestAborted);
    }
}
