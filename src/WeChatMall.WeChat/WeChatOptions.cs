namespace WeChatMall.WeChat;

/// <summary>
/// Settings for the Official Account and mini-program server APIs (section <c>WeChat</c>).
/// Base URLs are configurable so the sandbox (or a test stub) can stand in for WeChat.
/// </summary>
public sealed class WeChatOptions
{
    public const string SectionName = "WeChat";

    public OfficialAccountOptions OfficialAccount { get; set; } = new();
    public MiniProgramOptions MiniProgram { get; set; } = new();
    public string ApiBaseUrl { get; set; } = "https://api.weixin.qq.com";
    public string OAuthBaseUrl { get; set; } = "https://open.weixin.qq.com";
    /// <summary>Host of <c>showqrcode</c> (QR code images).</summary>
    public string MpBaseUrl { get; set; } = "https://mp.weixin.qq.com";
    /// <summary>How often a call answered with errcode -1 (system busy) is retried, with exponential backoff.</summary>
    public int BusyRetryCount { get; set; } = 3;
    public TimeSpan BusyRetryDelay { get; set; } = TimeSpan.FromSeconds(1);
}

/// <summary>Official Account credentials and callback settings (微信开发者平台 → 消息与事件推送).</summary>
public sealed class OfficialAccountOptions
{
    public string AppId { get; set; } = "";
    public string AppSecret { get; set; } = "";
    /// <summary>Callback token (3–32 letters/digits) used in the SHA1 signatures.</summary>
    public string Token { get; set; } = "";
    /// <summary>43-character key for safe mode; empty when only plaintext mode is used.</summary>
    public string EncodingAESKey { get; set; } = "";
    /// <summary>The key before the last rotation; tried when the current one fails to decrypt.</summary>
    public string PreviousEncodingAESKey { get; set; } = "";
}

/// <summary>Mini-program credentials.</summary>
public sealed class MiniProgramOptions
{
    public string AppId { get; set; } = "";
    public string AppSecret { get; set; } = "";
}
