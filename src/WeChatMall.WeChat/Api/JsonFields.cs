using System.Text.Json;

namespace WeChatMall.WeChat.Api;

// Reads WeChat response fields by their exact names, tolerating numbers sent as strings and vice versa.
static class JsonFields
{
    public static string? Str(this JsonElement e, string name) => e.TryGetProperty(name, out var v) ? v.ValueKind switch
    {
        JsonValueKind.String => v.GetString(),
        JsonValueKind.Number => v.GetRawText(),
        _ => null,
    } : null;

    public static string Required(this JsonElement e, string name, string path)
        => e.Str(name) is { Length: > 0 } s ? s
            : throw new WeChatApiException(WeChatApiException.InvalidResponseCode, $"response lacks '{name}'", path);

    public static long Long(this JsonElement e, string name) => e.TryGetProperty(name, out var v) ? v.ValueKind switch
    {
        JsonValueKind.Number => v.GetInt64(),
        JsonValueKind.String when long.TryParse(v.GetString(), out var l) => l,
        _ => 0,
    } : 0;

    public static IReadOnlyList<long> Longs(this JsonElement e, string name)
        => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Array
            ? v.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.Number).Select(x => x.GetInt64()).ToArray() : [];
}
