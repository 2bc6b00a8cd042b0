using System.Text.Json;
using WeChatMall.Sandbox.Recording;

namespace WeChatMall.Sandbox.OfficialAccount;

/// <summary>Sends to users (docs/wechat-protocol.md#subscribe-messages, docs/wechat-protocol.md#customer-service-messages, docs/wechat-protocol.md#template-messages, docs/wechat-protocol.md#mass-send): validated like WeChat, then recorded as delivered messages.</summary>
public static class MessageEndpoints
{
    static long _msgId = 200_000_000;

    public static void MapMessageSends(this IEndpointRouteBuilder app)
    {
        app.MapPost("/cgi-bin/message/custom/send", Custom);
        app.MapPost("/cgi-bin/message/template/send", (HttpContext h, JsonElement b, TokenGuard g, MessageLog log, FollowerRegistry f)
            => Send(h, b, g, log, f, MessageKinds.Template, requireWindow: false));
        app.MapPost("/cgi-bin/message/subscribe/send", (HttpContext h, JsonElement b, TokenGuard g, MessageLog log, FollowerRegistry f)
            => Send(h, b, g, log, f, MessageKinds.Subscribe, requireWindow: false));
        app.MapPost("/cgi-bin/message/mass/sendall", MassSend);
    }

    static IResult Custom(HttpContext h, JsonElement b, TokenGuard g, MessageLog log, FollowerRegistry f)
        => Send(h, b, g, log, f, MessageKinds.Custom, requireWindow: true);

    static IResult Send(HttpContext http, JsonElement body, TokenGuard guard, MessageLog log, FollowerRegistry followers,
        string kind, bool requireWindow)
    {
        if (guard.Reject(http, out _) is { } rejected) return rejected;
        var to = Str(body, "touser");
        if (string.IsNullOrEmpty(to)) return WeChatReply.Error(40003);
        // Customer-service messages need an open interaction window; a follower who unsubscribed has none.
        // (The 48-hour window itself is not simulated.)
        if (requireWindow && followers.Find(to) is { Subscribed: false, SubscribeTime: > 0 }) return WeChatReply.Error(45015);
        var msgType = kind == MessageKinds.Custom ? Str(body, "msgtype") ?? "" : kind;
        if (kind == MessageKinds.Custom && msgType == "") return WeChatReply.Error(47001, "msgtype missing");
        if (kind != MessageKinds.Custom && string.IsNullOrEmpty(Str(body, "template_id"))) return WeChatReply.Error(40037, "invalid template_id");
        log.Add(to, kind, msgType, Summary(body, msgType), body.GetRawText());
        return kind == MessageKinds.Template
            ? WeChatReply.Ok(new { errcode = 0, errmsg = "ok", msgid = Interlocked.Increment(ref _msgId) })
            : WeChatReply.Ok();
    }

    static IResult MassSend(HttpContext http, JsonElement body, TokenGuard guard, MessageLog log, FollowerRegistry followers)
    {
        if (guard.Reject(http, out _) is { } rejected) return rejected;
        var msgType = Str(body, "msgtype") ?? "";
        if (!body.TryGetProperty("filter", out var filter)) return WeChatReply.Error(47001, "filter missing");
        var toAll = filter.TryGetProperty("is_to_all", out var all) && all.ValueKind == JsonValueKind.True;
        int? tagId = filter.TryGetProperty("tag_id", out var t) && t.TryGetInt32(out var id) ? id : null;
        if (!toAll && (tagId is null || !followers.TagExists(tagId.Value))) return WeChatReply.Error(45159);
        foreach (var f in followers.All().Where(f => f.Subscribed && (toAll || f.TagIds.Contains(tagId!.Value))))
            log.Add(f.OpenId, MessageKinds.Mass, msgType, Summary(body, msgType), body.GetRawText());
        var msgId = Interlocked.Increment(ref _msgId);
        return WeChatReply.Ok(new { errcode = 0, errmsg = "send job submission success", msg_id = msgId, msg_data_id = msgId * 10 });
    }

    // What a person would read: the text, a news title, or the template's first value.
    static string? Summary(JsonElement body, string msgType)
    {
        if (body.TryGetProperty(msgType, out var part))
        {
            if (Str(part, "content") is { } content) return content;
            if (part.TryGetProperty("articles", out var a) && a.ValueKind == JsonValueKind.Array && a.GetArrayLength() > 0)
                return Str(a[0], "title");
            return Str(part, "title") ?? Str(part, "media_id");
        }
        if (body.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object)
            return string.Join("; ", data.EnumerateObject().Select(p => $"{p.Name}: {Str(p.Value, "value")}"));
        return null;
    }

    public static string? Str(JsonElement e, string name)
        => e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
