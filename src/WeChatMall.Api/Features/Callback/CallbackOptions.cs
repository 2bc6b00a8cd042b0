using System.ComponentModel.DataAnnotations;

namespace WeChatMall.Api.Features.Callback;

public sealed class CallbackOptions
{
    public const string SectionName = "Callback";

    /// <summary>Largest POST body accepted; WeChat's messages are a few KB.</summary>
    [Range(1024, 1024 * 1024)] public int MaxBodyBytes { get; set; } = 64 * 1024;

    /// <summary>Requests whose timestamp is further than this from our clock are refused (replay protection).</summary>
    [Range(30, 86_400)] public int MaxClockSkewSeconds { get; set; } = 300;

    /// <summary>How long a reply is kept for WeChat's retries (which come within ~20 s).</summary>
    [Range(30, 3600)] public int ReplyCacheSeconds { get; set; } = 300;

    /// <summary>Drain the callback event queue into MySQL from this instance (every instance may; they share the work).</summary>
    public bool EventWriterEnabled { get; set; } = true;

    /// <summary>/health/ready reports the callback queue Degraded when more events than this wait to be written.</summary>
    [Range(1, 10_000_000)] public int QueueDegradedLength { get; set; } = 10_000;

    /// <summary>/health/ready reports the callback queue Degraded when its oldest event waits longer than this.</summary>
    [Range(1, 86_400)] public int QueueDegradedAgeSeconds { get; set; } = 60;
}
