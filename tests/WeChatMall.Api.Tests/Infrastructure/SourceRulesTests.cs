using System.Text.RegularExpressions;

namespace WeChatMall.Api.Tests.Infrastructure;

/// <summary>House rules a reader trips over when they are broken, checked on the source tree.</summary>
public sealed partial class SourceRulesTests
{
    static readonly string Root = FindRoot();

    // Files that gather small types of one kind are named for the kind (OrderDtos.cs, Replies.cs, PayOutboxHandlers.cs).
    static readonly string[] GroupSuffixes = ["Dtos", "Requests", "Events", "Replies", "Messages", "Handlers"];

    static IEnumerable<string> SourceFiles() =>
        Directory.EnumerateFiles(Path.Combine(Root, "src"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                        && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal));

    [GeneratedRegex(@"^\s*(?:(?:public|internal|private|protected|static|sealed|abstract|partial|readonly|file|ref)\s+)*(?:class|record(?:\s+struct|\s+class)?|struct|interface|enum)\s+(\w+)", RegexOptions.Multiline)]
    private static partial Regex TypeDeclaration();

    [GeneratedRegex(@"\bDateTime(?:Offset)?\.(?:UtcNow|Now)\b")]
    private static partial Regex ClockRead();

    [Test]
    public void EveryFile_IsNamedAfterATypeItDeclares()
    {
        var mismatched = new List<string>();
        foreach (var file in SourceFiles())
        {
            var name = Path.GetFileNameWithoutExtension(file).Split('.')[0];   // OfficialAccountClient.Users.cs: a partial
            if (name == "Program" || GroupSuffixes.Any(s => name.EndsWith(s, StringComparison.Ordinal))) continue;
            var types = TypeDeclaration().Matches(File.ReadAllText(file)).Select(m => m.Groups[1].Value).ToList();
            // A use-case file (BindReferrer.cs) declares its request and its handler under the use case's name.
            if (!types.Any(t => t == name || t.StartsWith(name, StringComparison.Ordinal)))
                mismatched.Add($"{Path.GetRelativePath(Root, file)}: {string.Join(", ", types)}");
        }
        Assert.That(mismatched, Is.Empty);
    }

    [Test]
    public void NoCode_ReadsTheClockDirectly_ItTakesTimeProvider()
    {
        var reads = SourceFiles()
            .SelectMany(f => File.ReadLines(f).Select((line, i) => (f, line, i)))
            .Where(x => ClockRead().IsMatch(x.line) && !x.line.TrimStart().StartsWith("//", StringComparison.Ordinal))
            .Select(x => $"{Path.GetRelativePath(Root, x.f)}:{x.i + 1}: {x.line.Trim()}")
            .ToList();
        Assert.That(reads, Is.Empty);
    }

    static string FindRoot()
    {
        for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "WeChatMall.sln"))) return dir.FullName;
        throw new InvalidOperationException("WeChatMall.sln not found above the test directory");
    }
}
