namespace WeChatMall.Api.Features.DevSandbox;

/// <summary>
/// Whether the dev-only sandbox routes exist: only in the Development or Testing environment and only while the WeChat
/// API base URL points somewhere other than WeChat itself (the sandbox). In Production, or against the real WeChat,
/// the routes are not mapped at all (404), so a shop built with its dev sign-in cannot use it there.
/// </summary>
public static class DevSandboxGate
{
    public static bool IsEnabled(IHostEnvironment environment, IConfiguration configuration) =>
        (environment.IsDevelopment() || environment.IsEnvironment("Testing"))
        && IsNotWeChat(configuration["WeChat:ApiBaseUrl"]);

    /// <summary>True for an absolute URL whose host is not one of WeChat's own (*.weixin.qq.com, *.qq.com).</summary>
    public static bool IsNotWeChat(string? baseUrl) =>
        Uri.TryCreate(baseUrl, UriKind.Absolute, out var uri)
        && !uri.Host.Equals("qq.com", StringComparison.OrdinalIgnoreCase)
        && !uri.Host.EndsWith(".qq.com", StringComparison.OrdinalIgnoreCase);
}
