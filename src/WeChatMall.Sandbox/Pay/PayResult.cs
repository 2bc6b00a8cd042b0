using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using WeChatMall.WeChat.Pay;

namespace WeChatMall.Sandbox.Pay;

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
