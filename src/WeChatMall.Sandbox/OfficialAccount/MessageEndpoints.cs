using System.Text.Json;
using WeChatMall.Sandbox.Followers;
using WeChatMall.Sandbox.Recording;

namespace WeChatMall.Sandbox.OfficialAccount;

/// <summary>Sends to users (docs/wechat-protocol.md#subscribe-messages, docs/wechat-protocol.md#customer-service-messages, docs/wechat-protocol.md#template-messages, docs/wechat-protocol.md#mass-send): validated like WeChat, then recorded as delivered messages.</summary>
public static class MessageEndpoints
{
    static long _msgId = 200_000_000;

    public static void MapMessageSends(this IEndpointRouteBuilder app)
    {
        app.MapPost("/cgi-bin/message/custom/send", Custom);
        app.MapPost("/cgi-bin/message/template/send", (HttpContext h, JsonElement b, TokenGuard g, MessageLog log, FollowerRegistry f, MessageRules r)
            => Send(h, b, g, log, f, r, MessageKinds.Template, requireWindow: false));
        app.MapPost("/cgi-bin/message/subscribe/send", (HttpContext h, JsonElement b, TokenGuard g, MessageLog log, FollowerRegistry f, MessageRules r)
            => Send(h, b, g, log, f, r, MessageKinds.Subscribe, requireWindow: false));
        app.MapGet("/cgi-bin/template/get_all_private_template", (HttpContext h, TokenGuard g, MessageRules r) =>
            g.Reject(h, out _) ?? WeChatReply.Ok(new
            {
                template_list = r.Templates(MessageRules.OaKind).Select(t => new
                {
                    template_id = t.TemplateId, title = t.Title, primary_industry = "IT科技", deputy_industry = "互联网|电子商务", content = t.Content, example = "",
                }),
            }));
        app.MapGet("/wxaapi/newtmpl/gettemplate", (HttpContext h, TokenGuard g, MessageRules r) =>
            g.Reject(h, out _) ?? WeChatReply.Ok(new
            {
                errcode = 0, errmsg = "ok",
                data = r.Templates(MessageRules.SubscribeKind).Select(t => new { priTmplId = t.TemplateId, title = t.Title, content = t.Content, example = "", type = 2 }),
            }));
        app.MapPost("/cgi-bin/message/mass/sendall", MassSendAll);
        app.MapPost("/cgi-bin/message/mass/send", MassSendToOpenIds);
        app.MapPost("/cgi-bin/message/mass/preview", MassPreview);
    }

    static IResult Custom(HttpContext h, JsonElement b, TokenGuard g, MessageLog log, FollowerRegistry f, MessageRules r)
        => Send(h, b, g, log, f, r, MessageKinds.Custom, requireWindow: true);

    static IResult Send(HttpContext http, JsonElement body, TokenGuard guard, MessageLog log, FollowerRegistry followers, MessageRules rules,
        string kind, bool requireWindow)
    {
        if (guard.Reject(http, out _) is { } rejected) return rejected;
        var to = Str(body, "touser");
        if (string.IsNullOrEmpty(to)) return WeChatReply.Error(40003);
        var msgType = kind == MessageKinds.Custom ? Str(body, "msgtype") ?? "" : kind;
        if (kind == MessageKinds.Custom && msgType == "") return WeChatReply.Error(47001, "msgtype missing");
        if (kind == MessageKinds.Custom && CustomMessageRules.Check(body, msgType) is not 0 and var invalid) return WeChatReply.Error(invalid);
        var templateId = Str(body, "template_id");
        if (kind != MessageKinds.Custom && string.IsNullOrEmpty(templateId)) return WeChatReply.Error(40037, "invalid template_id");
        // Customer-service messages need an open interaction window (followers who followed here; openids the sandbox
        // never saw follow are let through); a follower who unsubscribed has none.
        if (requireWindow && followers.Find(to) is { SubscribeTime: > 0 } follower
            && (follower.Subscribed ? rules.TakeCustom(to) : 45015) is not 0 and var windowError)
            return WeChatReply.Error(windowError);
        if (kind == MessageKinds.Template)
        {
            var clientMsgId = Str(body, "client_msg_id");
            // The same openid + client_msg_id within 10 minutes is the same message: no second delivery.
            if (rules.Duplicate(to, clientMsgId) is { } earlier) return WeChatReply.Ok(new { errcode = 0, errmsg = "ok", msgid = earlier });
            var msgId = Interlocked.Increment(ref _msgId);
            rules.Remember(to, clientMsgId, msgId);
            log.Add(to, kind, msgType, Summary(body, msgType), body.GetRawText());
            return WeChatReply.Ok(new { errcode = 0, errmsg = "ok", msgid = msgId });
        }
        if (kind == MessageKinds.Subscribe && rules.SpendSubscribe(to, templateId!, Data(body)) is not 0 and var refused)
            return WeChatReply.Error(refused);
        log.Add(to, kind, msgType, Summary(body, msgType), body.GetRawText());
        return WeChatReply.Ok();
    }

    // sendall to a tag (or to all) and mass/send to 2–10,000 openids: WeChat takes the job, answers its msg_id at once, then
    // reports MASSSENDJOBFINISH to the callback. A follower at the monthly cap is filtered; one not following is an error.
    static IResult MassSendAll(HttpContext http, JsonElement body, TokenGuard guard, MessageLog log, FollowerRegistry followers, MassRules mass,
        FollowerSimulator sim)
    {
        if (guard.Reject(http, out _) is { } rejected) return rejected;
        if (!body.TryGetProperty("filter", out var filter)) return WeChatReply.Error(47001, "filter missing");
        var toAll = filter.TryGetProperty("is_to_all", out var all) && all.ValueKind == JsonValueKind.True;
        int? tagId = filter.TryGetProperty("tag_id", out var t) && t.TryGetInt32(out var id) ? id : null;
        if (!toAll && (tagId is null || !followers.TagExists(tagId.Value))) return WeChatReply.Error(45159);
        var targets = followers.All().Where(f => f.Subscribed && (toAll || f.TagIds.Contains(tagId!.Value))).Select(f => f.OpenId).ToList();
        return MassJob(body, targets, log, followers, mass, sim);
    }

    static IResult MassSendToOpenIds(HttpContext http, JsonElement body, TokenGuard guard, MessageLog log, FollowerRegistry followers, MassRules mass,
        FollowerSimulator sim)
    {
        if (guard.Reject(http, out _) is { } rejected) return rejected;
        if (!body.TryGetProperty("touser", out var touser) || touser.ValueKind != JsonValueKind.Array) return WeChatReply.Error(47001, "touser missing");
        var openIds = touser.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!).ToList();
        if (openIds.Count is < 2 or > 10_000) return WeChatReply.Error(40130, "invalid openid list size, at least two openid");
        return MassJob(body, openIds, log, followers, mass, sim);
    }

    // preview: the mass message to one follower, to see it as followers will. Not a job (no MASSSENDJOBFINISH), not counted
    // toward the monthly cap; its own daily limit (45009 once spent).
    static IResult MassPreview(HttpContext http, JsonElement body, TokenGuard guard, MessageLog log, FollowerRegistry followers, MassRules mass)
    {
        if (guard.Reject(http, out _) is { } rejected) return rejected;
        var msgType = Str(body, "msgtype") ?? "";
        if (msgType is not ("text" or "image" or "mpnews" or "voice" or "mpvideo" or "wxcard")) return WeChatReply.Error(40008, "invalid message type");
        if (Str(body, "touser") is not { Length: > 0 } openId) return WeChatReply.Error(47001, "touser missing");
        if (followers.Find(openId) is not { Subscribed: true }) return WeChatReply.Error(43004, "require subscribe");
        if (!mass.TakePreview(MassRules.PreviewDailyLimit)) return WeChatReply.Error(45009);
        log.Add(openId, MessageKinds.MassPreview, msgType, Summary(body, msgType), body.GetRawText());
        return WeChatReply.Ok(new { errcode = 0, errmsg = "preview success", msg_id = Interlocked.Increment(ref _msgId) });
    }

    static IResult MassJob(JsonElement body, IReadOnlyList<string> openIds, MessageLog log, FollowerRegistry followers, MassRules mass, FollowerSimulator sim)
    {
        var msgType = Str(body, "msgtype") ?? "";
        if (msgType is not ("text" or "image" or "mpnews" or "voice" or "mpvideo" or "wxcard")) return WeChatReply.Error(40008, "invalid message type");
        var msgId = Interlocked.Increment(ref _msgId);
        // WeChat keeps a clientmsgid 24 h: a repeat is refused (nothing sent again) and the answer names the job it already took.
        if (mass.Repeated(Str(body, "clientmsgid"), msgId) is { } earlier)
            return WeChatReply.Ok(new { errcode = 45065, errmsg = "clientmsgid exist", msg_id = earlier, msg_data_id = earlier * 10 });
        long sent = 0, filtered = 0, errors = 0;
        foreach (var openId in openIds.Distinct(StringComparer.Ordinal))
        {
            if (followers.Find(openId) is not { Subscribed: true }) errors++;
            else if (!mass.TakeMonthly(openId)) filtered++;
            else
            {
                log.Add(openId, MessageKinds.Mass, msgType, Summary(body, msgType), body.GetRawText());
                sent++;
            }
        }
        var total = sent + filtered + errors;
        // Like WeChat, the report comes after the answer, as its own push to the callback.
        _ = Task.Run(async () =>
        {
            await Task.Delay(200);
            var xml = InboundXml.MassSendJobFinish(sim.OriginalId, MassReportSender, sim.Now(), msgId, errors == 0 ? "send success" : "send fail",
                total, filtered, sent, errors);
            try
            {
                await sim.DeliverAsync(MassReportSender, "MASSSENDJOBFINISH", xml, null, CancellationToken.None);
            }
            catch (Exception e) when (e is HttpRequestException or ObjectDisposedException or InvalidOperationException)
            {
                // the sandbox is shutting down
            }
        });
        return WeChatReply.Ok(new { errcode = 0, errmsg = "send job submission success", msg_id = msgId, msg_data_id = msgId * 10 });
    }

    /// <summary>The FromUserName of MASSSENDJOBFINISH (WeChat puts an account-side openid there, not a recipient's).</summary>
    public const string MassReportSender = "o_sandbox_mass_report";

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

    static Dictionary<string, string> Data(JsonElement body) =>
        body.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object
            ? data.EnumerateObject().ToDictionary(p => p.Name, p => Str(p.Value, "value") ?? "", StringComparer.Ordinal)
            : [];

    public static string? Str(JsonElement e, string name)
        => e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
