using System.Text.Json;
using System.Text.Json.Nodes;

namespace WeChatMall.Api.Tests.Infrastructure;

/// <summary>
/// docs/api/openapi.json is the API's contract as served at /openapi/v1.json; the console's and the shop's typed
/// clients are generated from it at build time. It must never go stale: when a route or a shape changes, rerun with
/// UPDATE_OPENAPI=1 (or scripts/gen-openapi.sh) and commit the file.
/// </summary>
public sealed class OpenApiSnapshotTests
{
    static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    [Test]
    public async Task CommittedSnapshot_EqualsTheServedDocument()
    {
        using var client = TestEnvironment.Api.CreateClient();
        var served = Normalise(await client.GetStringAsync("/openapi/v1.json"));
        var path = Path.Combine(RepoRoot(), "docs", "api", "openapi.json");

        if (Environment.GetEnvironmentVariable("UPDATE_OPENAPI") == "1")
            await File.WriteAllTextAsync(path, served);

        Assert.That(File.Exists(path), Is.True, $"{path} is missing: run scripts/gen-openapi.sh");
        Assert.That(Normalise(await File.ReadAllTextAsync(path)), Is.EqualTo(served),
            "docs/api/openapi.json is stale: run scripts/gen-openapi.sh and commit it");
    }

    // The document names the test server's address; the snapshot must not depend on the port a run got.
    static string Normalise(string json)
    {
        var doc = JsonNode.Parse(json)!.AsObject();
        doc.Remove("servers");
        return doc.ToJsonString(Indented).ReplaceLineEndings("\n") + "\n";
    }

    static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "WeChatMall.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("WeChatMall.sln not found above " + AppContext.BaseDirectory);
    }
}
