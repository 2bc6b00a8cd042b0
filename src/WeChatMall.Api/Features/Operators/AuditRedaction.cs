using System.Text.Json;
using System.Text.Json.Nodes;

namespace WeChatMall.Api.Features.Operators;

/// <summary>
/// What of a request body goes into the audit log: JSON with every secret-looking field (password, token, secret, key,
/// code, …) replaced by "***", cut to a bounded length. Anything that is not JSON is only described.
/// </summary>
public static class AuditRedaction
{
    public const int MaxBodyBytes = 64 * 1024;
    const int MaxSummaryChars = 4000;
    static readonly string[] SecretWords = ["password", "token", "secret", "key", "code", "otp", "credential", "signature"];

    public static bool IsSecretName(string name) =>
        SecretWords.Any(w => name.Contains(w, StringComparison.OrdinalIgnoreCase));

    public static JsonNode? RedactJson(ReadOnlySpan<byte> utf8)
    {
        try
        {
            var node = JsonNode.Parse(utf8);
            Redact(node);
            return node;
        }
        catch (JsonException)
        {
            return JsonValue.Create("(malformed JSON, " + utf8.Length + " bytes)");
        }
    }

    /// <summary>An object (a DTO) as redacted JSON, for before/after.</summary>
    public static JsonNode? RedactObject(object? value)
    {
        if (value is null) return null;
        var node = JsonSerializer.SerializeToNode(value, value.GetType(), JsonSerializerOptions.Web);
        Redact(node);
        return node;
    }

    public static string Bound(string text) => text.Length <= MaxSummaryChars ? text : text[..MaxSummaryChars] + "…";

    static void Redact(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var name in obj.Select(p => p.Key).ToList())
                {
                    if (IsSecretName(name) && obj[name] is not null and not JsonObject and not JsonArray) obj[name] = "***";
                    else Redact(obj[name]);
                }
                break;
            case JsonArray array:
                foreach (var item in array) Redact(item);
                break;
        }
    }
}
