using System.Text.Json;

namespace WeChatMall.WeChat.Tests;

static class TestVectors
{
    static readonly Lazy<JsonElement> Root = new(() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Vectors", "vectors.json"))).RootElement);

    public static JsonElement Get(string dottedPath)
    {
        var e = Root.Value;
        foreach (var part in dottedPath.Split('.')) e = e.GetProperty(part);
        return e;
    }

    public static string Str(string dottedPath) => Get(dottedPath).GetString()!;
}
