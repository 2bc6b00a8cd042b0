using System.Text.Json;
using WeChatMall.WeChat.Api;

namespace WeChatMall.WeChat.MiniProgram;

public sealed partial class MiniProgramClient
{
    /// <summary>
    /// <c>wxaapi/newtmpl/gettemplate</c>: the subscribe message templates added to the mini-program
    /// (developers.weixin.qq.com/miniprogram/dev/OpenApiDoc/mp-message-management/subscribe-message/getTemplateList.html).
    /// </summary>
    public async Task<IReadOnlyList<MessageTemplate>> ListSubscribeTemplatesAsync(CancellationToken ct)
    {
        var json = await _api.GetAsync("wxaapi/newtmpl/gettemplate", ct);
        return json.TryGetProperty("data", out var list) && list.ValueKind == JsonValueKind.Array
            ? [.. list.EnumerateArray().Select(t => MessageTemplate.From(t.Str("priTmplId") ?? "", t.Str("title") ?? "", t.Str("content") ?? ""))]
            : [];
    }
}
