using System.ComponentModel.DataAnnotations;

namespace WeChatMall.Api.Infrastructure.Redis;

public sealed class RedisOptions
{
    public const string SectionName = "Redis";

    /// <summary>Prepended to every key, so several deployments (or test runs) can share one server.</summary>
    public string KeyPrefix { get; set; } = "wcm:";

    /// <summary>
    /// How long the callback and the session lookup wait for one Redis call before treating Redis as down (record in
    /// MySQL directly, answer 503), whatever the connection string's timeouts are.
    /// </summary>
    [Range(20, 5000)] public int CallTimeoutMs { get; set; } = 250;

    public TimeSpan CallTimeout => TimeSpan.FromMilliseconds(CallTimeoutMs);
}
