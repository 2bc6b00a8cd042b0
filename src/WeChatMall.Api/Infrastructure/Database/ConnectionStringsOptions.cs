using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using MySqlConnector;
using StackExchange.Redis;

namespace WeChatMall.Api.Infrastructure.Database;

/// <summary>The two servers the API cannot run without (and an optional cache Redis); checked at startup.</summary>
public sealed class ConnectionStringsOptions
{
    public const string SectionName = "ConnectionStrings";

    [Required(ErrorMessage = "ConnectionStrings:MySql is required (a MySqlConnector connection string).")]
    public string MySql { get; set; } = "";

    [Required(ErrorMessage = "ConnectionStrings:Redis is required (a StackExchange.Redis configuration string).")]
    public string Redis { get; set; } = "";

    /// <summary>
    /// Optional Redis for the catalog cache (HybridCache L2) only, which may evict (allkeys-lru) and needs no persistence.
    /// Unset: the cache shares <see cref="Redis"/>, which holds what must not be evicted (sessions, streams, locks, quotas).
    /// </summary>
    public string? RedisCache { get; set; }
}

/// <summary>Rejects connection strings that would only fail later, at the first request.</summary>
public sealed class ConnectionStringsValidator : IValidateOptions<ConnectionStringsOptions>
{
    public ValidateOptionsResult Validate(string? name, ConnectionStringsOptions options)
    {
        var failures = new List<string>();
        if (!string.IsNullOrWhiteSpace(options.MySql))
        {
            try
            {
                var builder = new MySqlConnectionStringBuilder(options.MySql);
                if (string.IsNullOrEmpty(builder.Database))
                    failures.Add("ConnectionStrings:MySql must name a Database.");
            }
            catch (ArgumentException ex)
            {
                failures.Add($"ConnectionStrings:MySql is malformed: {ex.Message}");
            }
        }
        ValidateRedis(options.Redis, "Redis", failures);
        ValidateRedis(options.RedisCache, "RedisCache", failures);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    static void ValidateRedis(string? value, string name, List<string> failures)
    {
        if (string.IsNullOrWhiteSpace(value)) return;
        try
        {
            if (ConfigurationOptions.Parse(value).EndPoints.Count == 0)
                failures.Add($"ConnectionStrings:{name} names no endpoint.");
        }
        catch (ArgumentException ex)
        {
            failures.Add($"ConnectionStrings:{name} is malformed: {ex.Message}");
        }
    }
}
