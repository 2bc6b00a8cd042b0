namespace WeChatMall.Api.Infrastructure.Http;

/// <summary>Where the built merchant console (src/WeChatMall.Console, <c>npm run build</c>) is served from.</summary>
public sealed class ConsoleOptions
{
    public const string SectionName = "AdminConsole";

    /// <summary>The folder holding the built console's index.html; relative paths start at the API's content root.</summary>
    public string StaticFilesPath { get; set; } = "../WeChatMall.Console/dist";
}
