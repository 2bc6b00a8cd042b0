using System.Net.Http.Json;
using System.Text.Json;
using System.Xml.Linq;
using WeChatMall.Api.Features.AutoReplies;
using WeChatMall.Api.Tests.TestHost;

namespace WeChatMall.Api.Tests.Features.Callback;

public static class CallbackTestData
{
    public static string Unique(string word) => $"{word}{Guid.NewGuid():N}"[..(word.Length + 10)];

    public static async Task<AutoReplyRule> CreateRuleAsync(ApiFactory api, object rule)
    {
        using var admin = api.CreateAdminClient();
        var response = await admin.PostAsJsonAsync("/admin/auto-replies", rule);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<AutoReplyRule>(JsonSerializerOptions.Web))!;
    }

    public static object TextRule(string trigger, string? pattern, string mode = "random", string? match = null, params string[] replies) => new
    {
        name = $"{trigger} {pattern}", trigger, matchType = match, pattern, replyMode = mode,
        replies = replies.Select(r => new { type = "text", content = r }).ToArray(),
    };

    public static XElement Xml(string body) => XElement.Parse(body);

    public static string? Content(string body) => Xml(body).Element("Content")?.Value;
}
