using System.Text.RegularExpressions;

namespace WeChatMall.Api.Tests.Infrastructure.Architecture;

/// <summary>
/// Features depend on each other one way only (docs/architecture.md draws the graph). The graph is read from the
/// source: a feature depends on another when one of its files names the other's namespace (a using line or a
/// fully-qualified <c>WeChatMall.Api.Features.X.</c>) or one of the other's types as <c>X.Type</c> (the sibling
/// namespace written relative to the own one). A cycle fails the test and is printed.
/// </summary>
public sealed partial class FeatureGraphTests
{
    [GeneratedRegex(@"\bWeChatMall\.Api\.Features\.(?<feature>[A-Za-z]+)\b")]
    private static partial Regex QualifiedFeature();

    [GeneratedRegex(@"\b(?:class|record|interface|enum|struct)\s+(?<type>[A-Z]\w*)")]
    private static partial Regex TypeDeclaration();

    static string FeaturesRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "WeChatMall.sln")))
                return Path.Combine(dir.FullName, "src", "WeChatMall.Api", "Features");
        throw new DirectoryNotFoundException("WeChatMall.sln not found above " + AppContext.BaseDirectory);
    }

    /// <summary>Feature → the features its source names, read from src/WeChatMall.Api/Features/*/**.cs.</summary>
    public static IReadOnlyDictionary<string, SortedSet<string>> Graph()
    {
        var root = FeaturesRoot();
        var sources = Directory.GetDirectories(root).ToDictionary(
            d => Path.GetFileName(d),
            d => Directory.EnumerateFiles(d, "*.cs", SearchOption.AllDirectories).Select(File.ReadAllText).ToList(),
            StringComparer.Ordinal);
        var types = sources.ToDictionary(s => s.Key,
            s => s.Value.SelectMany(t => TypeDeclaration().Matches(t).Select(m => m.Groups["type"].Value)).ToHashSet(StringComparer.Ordinal));
        var graph = new Dictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        foreach (var (feature, texts) in sources)
        {
            var uses = new SortedSet<string>(StringComparer.Ordinal);
            foreach (var text in texts)
            {
                foreach (Match m in QualifiedFeature().Matches(text)) uses.Add(m.Groups["feature"].Value);
                foreach (var other in sources.Keys.Where(o => o != feature))
                    foreach (Match m in new Regex($@"(?<![\w.]){other}\.(?<type>[A-Z]\w*)").Matches(text))
                        if (types[other].Contains(m.Groups["type"].Value)) uses.Add(other);
            }
            uses.Remove(feature);
            uses.IntersectWith(sources.Keys);
            graph[feature] = uses;
        }
        return graph;
    }

    /// <summary>One cycle of the graph (first feature repeated at the end), or null when it has none.</summary>
    public static IReadOnlyList<string>? FindCycle(IReadOnlyDictionary<string, SortedSet<string>> graph)
    {
        var done = new HashSet<string>(StringComparer.Ordinal);
        var path = new List<string>();
        IReadOnlyList<string>? Visit(string feature)
        {
            if (path.IndexOf(feature) is var at and >= 0) return [.. path.Skip(at), feature];
            if (!done.Add(feature)) return null;
            path.Add(feature);
            foreach (var next in graph.GetValueOrDefault(feature) ?? [])
                if (Visit(next) is { } cycle) return cycle;
            path.RemoveAt(path.Count - 1);
            return null;
        }
        foreach (var feature in graph.Keys.Order(StringComparer.Ordinal))
            if (Visit(feature) is { } cycle) return cycle;
        return null;
    }

    [Test]
    public void Features_DependOnEachOtherOneWayOnly()
    {
        var graph = Graph();
        var cycle = FindCycle(graph);
        Assert.That(cycle, Is.Null, () => $"Feature dependency cycle: {string.Join(" → ", cycle!)}\nGraph:\n"
            + string.Join("\n", graph.Select(g => $"  {g.Key} → {string.Join(", ", g.Value)}")));
    }

    [Test]
    public void Graph_SeesUsingLinesAndQualifiedNames()
    {
        var graph = Graph();
        Assert.That(graph.Keys, Does.Contain("Members").And.Contain("Orders").And.Contain("Payments"));
        Assert.That(graph["Payments"], Does.Contain("Orders"), "Payments uses Orders through using lines");
    }

    [Test]
    public void FindCycle_NamesTheCycle()
    {
        var graph = new Dictionary<string, SortedSet<string>>
        {
            ["A"] = ["B"],
            ["B"] = ["C"],
            ["C"] = ["A"],
            ["D"] = ["A"],
        };
        Assert.That(FindCycle(graph), Is.EqualTo(new[] { "A", "B", "C", "A" }));
        graph["C"] = [];
        Assert.That(FindCycle(graph), Is.Null);
    }
}
