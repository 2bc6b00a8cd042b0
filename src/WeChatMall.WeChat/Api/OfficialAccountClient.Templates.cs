using System.Text.Json;
using System.Text.RegularExpressions;

namespace WeChatMall.WeChat.Api;

public sealed partial class OfficialAccountClient
{
    /// <summary>
    /// <c>cgi-bin/template/get_all_private_template</c>: the templates the account uses
    /// (developers.weixin.qq.com/doc/offiaccount/Message_Management/Template_Message_Interface.html).
    /// </summary>
    public async Task<IReadOnlyList<MessageTemplate>> ListTemplatesAsync(CancellationToken ct)
    {
        var json = await _api.GetAsync("cgi-bin/template/get_all_private_template", ct);
        return json.TryGetProperty("template_list", out var list) && list.ValueKind == JsonValueKind.Array
            ? [.. list.EnumerateArray().Select(t => MessageTemplate.From(t.Str("template_id") ?? "", t.Str("title") ?? "", t.Str("content") ?? ""))]
            : [];
    }
}

/// <summary>A template message or subscribe message template and the keyword names its content uses (<c>{{thing1.DATA}}</c> → thing1).</summary>
public sealed partial record MessageTemplate(string TemplateId, string Title, string Content, IReadOnlyList<string> Fields)
{
    public static MessageTemplate From(string id, string title, string content) =>
        new(id, title, content, [.. Keyword().Matches(content).Select(m => m.Groups[1].Value).Distinct()]);

    [GeneratedRegex(@"\{\{\s*([A-Za-z_]+[0-9]*)\.DATA\s*\}\}")] private static partial Regex Keyword();
}
