namespace WeChatMall.Api.Infrastructure.Redis;

public sealed class RedisOptions
{
    public const string SectionName = "Redis";

    /// <summary>Prepended to every key, so several deployments (or test runs) can share one server.</summary>
    public string KeyPrefix { get; set; } = "wcm:";
}
