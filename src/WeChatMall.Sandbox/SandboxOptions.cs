using System.ComponentModel.DataAnnotations;

namespace WeChatMall.Sandbox;

/// <summary>
/// Section "Sandbox": the accounts the sandbox pretends to host. Secrets here are sandbox-only: scripts/start.sh
/// generates them under .data/sandbox/, tests supply their own.
/// </summary>
public sealed class SandboxOptions
{
    public const string SectionName = "Sandbox";

    public OfficialAccountSettings OfficialAccount { get; set; } = new();
    public MiniProgramSettings MiniProgram { get; set; } = new();
    public MerchantSettings Merchant { get; set; } = new();
    public PlatformSettings Platform { get; set; } = new();

    /// <summary>The app's /wechat/callback; changeable at runtime through PUT /sandbox/config.</summary>
    public string CallbackUrl { get; set; } = "";
    /// <summary>Deliver follower messages in safe mode (encrypt_type=aes) unless a request says otherwise.</summary>
    public bool SafeMode { get; set; } = true;
    /// <summary>WeChat waits 5 s for the callback, then re-sends the identical request up to 3 times.</summary>
    [Range(50, 60_000)] public int CallbackTimeoutMs { get; set; } = 5000;
    [Range(0, 3)] public int CallbackRetries { get; set; } = 3;
    [Range(60, 86_400)] public int TokenLifetimeSeconds { get; set; } = 7200;
}

public sealed class OfficialAccountSettings
{
    [Required] public string AppId { get; set; } = "";
    [Required] public string AppSecret { get; set; } = "";
    [Required] public string Token { get; set; } = "";
    [Required, StringLength(43, MinimumLength = 43)] public string EncodingAESKey { get; set; } = "";
    [Required] public string OriginalId { get; set; } = "";
    /// <summary>Bound to an open platform: user/info and batchget return each follower's UnionID (off: never).</summary>
    public bool BoundToOpenPlatform { get; set; } = true;
}

public sealed class MiniProgramSettings
{
    public string AppId { get; set; } = "";
    public string AppSecret { get; set; } = "";
}

public sealed class MerchantSettings
{
    public string MchId { get; set; } = "";
    /// <summary>SPKI PEM of the merchant's API key: the sandbox verifies request signatures with it.</summary>
    public string PublicKeyPath { get; set; } = "";
    public string SerialNo { get; set; } = "";
    public string ApiV3Key { get; set; } = "";
    /// <summary>Refund notifications go here when the refund request names no notify_url.</summary>
    public string RefundNotifyUrl { get; set; } = "";
    /// <summary>Notification retry schedule (15 s, 15 s, 30 s, 3 min …) multiplied by this; tests make it tiny.</summary>
    [Range(0.0, 10.0)] public double NotifyRetryScale { get; set; } = 1.0;
    [Range(50, 60_000)] public int NotifyTimeoutMs { get; set; } = 5000;
}

public sealed class PlatformSettings
{
    /// <summary>PEM private key the sandbox signs responses and notifications with ("WeChat Pay public key" mode).</summary>
    public string PrivateKeyPath { get; set; } = "";
    public string PublicKeyId { get; set; } = "PUB_KEY_ID_0000000000000000000000000000000001";
}
