using System.Text.RegularExpressions;

namespace WeChatMall.Api.Tests.Infrastructure;

/// <summary>
/// docs/errors.md is the catalogue of every ProblemDetails `code` the API can return. Codes are UPPER_SNAKE string
/// literals in src/WeChatMall.Api; the few such literals that are WeChat protocol words, not our codes, are listed here.
/// </summary>
public sealed partial class ErrorCatalogueTests
{
    static readonly HashSet<string> WeChatWords = ["ABNORMAL", "BUSYGROUP", "CLOSED", "CNY", "FAIL", "NOGROUP", "QUERY", "SUCCESS"];

    [GeneratedRegex("\"([A-Z][A-Z0-9_]{2,})\"")]
    private static partial Regex CodeLiteral();

    [GeneratedRegex(@"^\| `([A-Z][A-Z0-9_]+)` \|", RegexOptions.Multiline)]
    private static partial Regex CatalogueRow();

    static string Root([System.Runtime.CompilerServices.CallerFilePath] string here = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(here)!, "..", "..", ".."));

    static HashSet<string> CodesInSource() =>
        Directory.EnumerateFiles(Path.Combine(Root(), "src", "WeChatMall.Api"), "*.cs", SearchOption.AllDirectories)
            .Where(p => !p.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}")
                        && !p.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"))
            .SelectMany(p => CodeLiteral().Matches(File.ReadAllText(p)).Select(m => m.Groups[1].Value))
            .Where(c => !WeChatWords.Contains(c))
            .ToHashSet();

    static HashSet<string> CodesInCatalogue() =>
        CatalogueRow().Matches(File.ReadAllText(Path.Combine(Root(), "docs", "errors.md"))).Select(m => m.Groups[1].Value).ToHashSet();

    [Test]
    public void Every_code_the_api_can_return_is_in_docs_errors_md()
    {
        var source = CodesInSource();
        Assert.That(source, Has.Count.GreaterThan(50), "the scan found too few codes: is the path right?");
        Assert.That(source.Except(CodesInCatalogue()).Order(), Is.Empty, "codes missing from docs/errors.md");
    }

    [Test]
    public void Every_code_in_docs_errors_md_still_exists_in_the_api()
    {
        var catalogue = CodesInCatalogue();
        Assert.That(catalogue, Has.Count.GreaterThan(50));
        Assert.That(catalogue.Except(CodesInSource()).Order(), Is.Empty, "docs/errors.md lists codes the API no longer has");
    }
}
