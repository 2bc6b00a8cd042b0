using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using MySqlConnector;
using StackExchange.Redis;

namespace WeChatMall.Api.Infrastructure.Database;

/// <summary>The two servers the API cannot run without; checked at startup.</summary>
public sealed class ConnectionStringsOptions
{
    public const string SectionName = "ConnectionStrings";

    [Required(ErrorMessage = "ConnectionStrings:MySql is required (a MySqlConnector connection string).")]
    public string MySql { get; set; } = "";

    [Required(ErrorMessage = "ConnectionStrings:Redis is required (a StackExchange.Redis configuration string).")]
    public string Redis { get; set; } = "";
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
        if (!string.IsNullOrWhiteSpace(options.Redis))
        {
            try
            {
                if (ConfigurationOptions.Parse(options.Redis).EndPoints.Count == 0)
                    failures.Add("ConnectionStrings:Redis names no endpoint.");
            }
            catch (ArgumentException ex)
            {
                failures.Add($"ConnectionStrings:Redis is malformed: {ex.Message}");
            }
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
