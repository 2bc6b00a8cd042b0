namespace WeChatMall.Api.Infrastructure.Database;

public sealed class DatabaseOptions
{
    public const string SectionName = "Database";

    /// <summary>Apply pending migrations when the API starts (the `migrate` command always does).</summary>
    public bool MigrateOnStartup { get; set; } = true;
}
