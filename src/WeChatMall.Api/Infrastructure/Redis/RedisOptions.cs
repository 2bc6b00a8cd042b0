using System.ComponentModel.DataAnnotations;

namespace WeChatMall.Api.Infrastructure.Redis;

public sealed class RedisOptions
{
    public const string SectionName = "Redis";

    /// <summary>Prepended to every key, so several deployments (or test runs) can share one server.</summary>
    public string KeyPrefix { get; set; } = "wcm:";

    /// <summary>
    /// How long the callback waits for one Redis call before treating Redis as down and recording the message in
    /// MySQL directly, whatever the connection string's timeouts are (the callback makes up to three in a row).
    /// </summary>
    [Range(20, 5000)] public int CallTimeoutMs { get; set; } = 250;

    /// <summary>
    /// The same for the member session lookup and issue (one call per request, 503 SESSIONS_UNAVAILABLE past it);
    /// looser than the callback's, so a burst of member requests on a busy Redis is not mistaken for an outage.
    /// </summary>
    [Range(20, 5000)] public int SessionTimeoutMs { get; set; } = 750;

    public TimeSpan CallTimeout => TimeSpan.FromMilliseconds(CallTimeoutMs);
    public TimeSpan SessionTimeout => TimeSpan.FromMilliseconds(SessionTimeoutMs);
}
