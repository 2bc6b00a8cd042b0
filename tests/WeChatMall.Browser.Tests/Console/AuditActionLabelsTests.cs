using System.Text.Json;
using System.Text.RegularExpressions;

namespace WeChatMall.Browser.Tests.Console;

/// <summary>
/// The audit log names every admin change in zh and en (src/WeChatMall.Console/src/audit/actionLabels.ts): each write
/// operation of docs/api/openapi.json has a name, so a route added later without one fails here rather than showing
/// its raw pattern in the console.
/// </summary>
public sealed partial class AuditActionLabelsTests
{
    [GeneratedRegex(@"^\s*'(?<action>(POST|PUT|PATCH|DELETE) /admin[^']*)': \['[^']+', '[^']+'\],$", RegexOptions.Multiline)]
    private static partial Regex Label();

    static string Repo(string path) => Path.GetFullPath(Path.Combine(TestContext.CurrentContext.TestDirectory, "../../../../..", path));

    [Test]
    public void EveryAdminWriteOperation_HasALabel()
    {
        var named = Label().Matches(File.ReadAllText(Repo("src/WeChatMall.Console/src/audit/actionLabels.ts")))
            .Select(m => m.Groups["action"].Value).ToHashSet(StringComparer.Ordinal);
        var doc = JsonDocument.Parse(File.ReadAllText(Repo("docs/api/openapi.json"))).RootElement;
        var writes = doc.GetProperty("paths").EnumerateObject().Where(p => p.Name.StartsWith("/admin/", StringComparison.Ordinal))
            .SelectMany(p => p.Value.EnumerateObject().Select(o => o.Name.ToUpperInvariant()).Where(m => m is "POST" or "PUT" or "PATCH" or "DELETE")
                .Select(m => $"{m} {p.Name.TrimEnd('/')}"))
            .ToList();
        Assert.That(writes, Is.Not.Empty);
        Assert.That(writes.Where(w => !named.Contains(w)), Is.Empty, "admin changes without a name in actionLabels.ts");
    }
}
