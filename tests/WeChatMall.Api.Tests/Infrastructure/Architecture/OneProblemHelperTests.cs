namespace WeChatMall.Api.Tests.Infrastructure.Architecture;

/// <summary>
/// One way to say no: every ProblemDetails the API answers is built by Infrastructure/Http/Problems (status-specific
/// method, code, title, detail), so no feature grows its own copy with its own argument order.
/// </summary>
public sealed class OneProblemHelperTests
{
    static readonly string[] Builders = ["TypedResults.Problem(", "Results.Problem("];

    [Test]
    public void OnlyProblems_BuildsProblemDetails()
    {
        string? root = null;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null && root is null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "WeChatMall.sln"))) root = Path.Combine(dir.FullName, "src", "WeChatMall.Api");
        Assert.That(root, Is.Not.Null, "WeChatMall.sln not found");
        var offenders = Directory.EnumerateFiles(root!, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(f => Path.GetRelativePath(root!, f).Replace('\\', '/'))
            .Where(f => f != "Infrastructure/Http/Problems.cs")
            .Where(f => File.ReadAllText(Path.Combine(root!, f)) is var text && Builders.Any(b => text.Contains(b, StringComparison.Ordinal)))
            .Order()
            .ToList();
        Assert.That(offenders, Is.Empty, "Build refusals with Infrastructure/Http/Problems instead");
    }
}
