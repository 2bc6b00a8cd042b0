using System.Reflection;
using System.Text.Json.Nodes;

namespace WeChatMall.Api.Tests.Infrastructure;

/// <summary>
/// Every setting an options class binds (a type with a <c>SectionName</c> constant, its public settable properties,
/// nested classes included) is in appsettings.sample.json and named in docs/configuration.md, so an operator who reads
/// either sees every knob the code reads.
/// </summary>
public sealed class SettingsCatalogueTests
{
    static string Root([System.Runtime.CompilerServices.CallerFilePath] string here = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(here)!, "..", "..", ".."));

    static readonly Assembly[] Bound = [typeof(Program).Assembly, typeof(WeChatMall.WeChat.Api.OfficialAccountClient).Assembly];

    static IEnumerable<string> SettingsOf(Type type, string prefix)
    {
        foreach (var p in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.SetMethod is { IsPublic: true }))
        {
            var key = $"{prefix}:{p.Name}";
            var t = Nullable.GetUnderlyingType(p.PropertyType) ?? p.PropertyType;
            if (IsLeaf(t)) yield return key;
            else foreach (var nested in SettingsOf(t, key)) yield return nested;
        }
    }

    // Values, and collections or dictionaries, are one setting; any other class is a section of its own.
    static bool IsLeaf(Type t) =>
        t.IsPrimitive || t.IsEnum || t == typeof(string) || t == typeof(decimal) || t == typeof(TimeSpan) || t == typeof(DateTime)
        || t == typeof(DateTimeOffset) || t == typeof(Uri) || t.IsArray || (t != typeof(string) && t.GetInterface("IEnumerable") is not null);

    static IReadOnlyList<string> BoundSettings() =>
        Bound.SelectMany(a => a.GetTypes())
            .Select(t => (Type: t, Section: t.GetField("SectionName", BindingFlags.Public | BindingFlags.Static)?.GetRawConstantValue() as string))
            // Jobs:<Name>:… is one JobSettings per job name: docs/operations.md lists the jobs.
            .Where(x => x.Section is not null && x.Type != typeof(WeChatMall.Api.Infrastructure.Jobs.JobSettings))
            .SelectMany(x => SettingsOf(x.Type, x.Section!))
            .Distinct().Order().ToList();

    // A setting left unset in the sample is documented by its "//Name" comment key alone.
    static bool InSample(JsonNode root, string key)
    {
        JsonNode? node = root;
        var parts = key.Split(':');
        for (var i = 0; i < parts.Length; i++)
        {
            if (node is not JsonObject o) return false;
            var found = o.FirstOrDefault(kv => string.Equals(kv.Key, parts[i], StringComparison.OrdinalIgnoreCase));
            if (found.Key is null)
                return i == parts.Length - 1 && o.Any(kv => string.Equals(kv.Key, "//" + parts[i], StringComparison.OrdinalIgnoreCase));
            node = found.Value;
        }
        return true;
    }

    [Test]
    public void Every_bound_setting_is_in_appsettings_sample_json()
    {
        var settings = BoundSettings();
        Assert.That(settings, Has.Count.GreaterThan(100), "the scan found too few settings: are the options classes found?");
        var sample = JsonNode.Parse(File.ReadAllText(Path.Combine(Root(), "appsettings.sample.json")),
            documentOptions: new System.Text.Json.JsonDocumentOptions { CommentHandling = System.Text.Json.JsonCommentHandling.Skip })!;
        var missing = settings.Where(k => !InSample(sample, k)).ToList();
        Assert.That(missing, Is.Empty, "settings missing from appsettings.sample.json: " + string.Join(", ", missing));
    }

    // Named: the whole key; a wildcard over its section (`Audience:*`, `Campaigns:Template:*`); or its last part on a row of
    // its section (`Operators:MaxFailedSignIns` / `LockoutMinutes`).
    static bool NamedIn(string[] lines, string key)
    {
        var parts = key.Split(':');
        if (lines.Any(l => l.Contains(key, StringComparison.Ordinal))) return true;
        for (var n = 1; n < parts.Length; n++)
            if (lines.Any(l => l.Contains($"`{string.Join(':', parts[..n])}:*`", StringComparison.Ordinal))) return true;
        var last = new System.Text.RegularExpressions.Regex($@"\b{parts[^1]}\b");
        return lines.Any(l => l.StartsWith($"| `{parts[0]}:", StringComparison.Ordinal) && last.IsMatch(l.Split('|')[1]));
    }

    [Test]
    public void Every_bound_setting_is_named_in_docs_configuration_md()
    {
        var lines = File.ReadAllLines(Path.Combine(Root(), "docs", "configuration.md"));
        var settings = BoundSettings();
        Assert.That(settings, Has.Count.GreaterThan(100));
        var missing = settings.Where(k => !NamedIn(lines, k)).ToList();
        Assert.That(missing, Is.Empty, "settings not named in docs/configuration.md: " + string.Join(", ", missing));
    }
}
