using Microsoft.Extensions.Options;

namespace WeChatMall.Sandbox;

/// <summary>The settings that can change while the sandbox runs (PUT /sandbox/config).</summary>
public sealed class SandboxRuntime(IOptions<SandboxOptions> options)
{
    volatile string _callbackUrl = options.Value.CallbackUrl;
    volatile bool _safeMode = options.Value.SafeMode;

    public string CallbackUrl { get => _callbackUrl; set => _callbackUrl = value; }
    public bool SafeMode { get => _safeMode; set => _safeMode = value; }
}
