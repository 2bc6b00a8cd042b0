using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace WeChatMall.Sandbox.OfficialAccount;

/// <summary>QR codes (docs/wechat-protocol.md#qr-codes), menu (docs/wechat-protocol.md#custom-menu), users (docs/wechat-protocol.md#users) and tags (docs/wechat-protocol.md#tags).</summary>
public static class AccountEndpoints
{
    public static void MapAccount(this IEndpointRouteBuilder app)
    {
        app.MapPost("/cgi-bin/qrcode/create", CreateQrCode);
        app.MapGet("/cgi-bin/showqrcode", ShowQrCode);
        app.MapPost("/cgi-bin/menu/create", (HttpContext h, JsonElement body, TokenGuard g, AccountState s)
            => g.Reject(h, out _) ?? (s.SetMenu(body) is not 0 and var e ? WeChatReply.Error(e) : WeChatReply.Ok()));
        app.MapGet("/cgi-bin/menu/get", (HttpContext h, TokenGuard g, AccountState s)
            => g.Reject(h, out _) ?? (s.Menu() is { } menu ? WeChatReply.Ok(new { menu }) : WeChatReply.Error(46003)));
        app.MapGet("/cgi-bin/menu/delete", DeleteMenu);
        app.MapGet("/cgi-bin/user/info", (HttpContext h, string? openid, TokenGuard g, FollowerRegistry f, IOptions<SandboxOptions> o)
            => g.Reject(h, out _) ?? (string.IsNullOrEmpty(openid) ? WeChatReply.Error(40003)
                : WeChatReply.Ok(UserInfo(f.GetOrAdd(openid), o.Value.OfficialAccount.BoundToOpenPlatform))));
        app.MapPost("/cgi-bin/user/info/batchget", BatchGet);
        app.MapPost("/cgi-bin/tags/create", CreateTag);
        app.MapGet("/cgi-bin/tags/get", (HttpContext h, TokenGuard g, FollowerRegistry f) => g.Reject(h, out _)
            ?? WeChatReply.Ok(new { tags = f.Tags().Select(t => new { id = t.Id, name = t.Name, count = t.Count }) }));
        app.MapPost("/cgi-bin/tags/members/batchtagging", (HttpContext h, JsonElement b, TokenGuard g, FollowerRegistry f) => Tagging(h, b, g, f, add: true));
        app.MapPost("/cgi-bin/tags/members/batchuntagging", (HttpContext h, JsonElement b, TokenGuard g, FollowerRegistry f) => Tagging(h, b, g, f, add: false));
        app.MapPost("/cgi-bin/tags/getidlist", (HttpContext h, JsonElement b, TokenGuard g, FollowerRegistry f) => g.Reject(h, out _)
            ?? (MessageEndpoints.Str(b, "openid") is { } o ? WeChatReply.Ok(new { tagid_list = f.GetOrAdd(o).TagIds }) : WeChatReply.Error(40003)));
    }

    static IResult DeleteMenu(HttpContext http, TokenGuard guard, AccountState state)
    {
        if (guard.Reject(http, out _) is { } rejected) return rejected;
        state.DeleteMenu();
        return WeChatReply.Ok();
    }

    static IResult CreateQrCode(HttpContext http, JsonElement body, TokenGuard guard, AccountState state, IOptions<SandboxOptions> o)
    {
        if (guard.Reject(http, out _) is { } rejected) return rejected;
        var action = MessageEndpoints.Str(body, "action_name");
        if (action is not ("QR_SCENE" or "QR_STR_SCENE" or "QR_LIMIT_SCENE" or "QR_LIMIT_STR_SCENE")) return WeChatReply.Error(40097, "invalid args");
        if (!body.TryGetProperty("action_info", out var info) || !info.TryGetProperty("scene", out var scene)) return WeChatReply.Error(40097, "invalid args");
        var sceneText = MessageEndpoints.Str(scene, "scene_str")
            ?? (scene.TryGetProperty("scene_id", out var id) && id.TryGetInt64(out var n) && n != 0 ? n.ToString(System.Globalization.CultureInfo.InvariantCulture) : null);
        if (string.IsNullOrEmpty(sceneText) || sceneText.Length > 64) return WeChatReply.Error(40097, "invalid scene");
        var permanent = action.StartsWith("QR_LIMIT", StringComparison.Ordinal);
        var expire = body.TryGetProperty("expire_seconds", out var e) && e.TryGetInt32(out var s) ? Math.Clamp(s, 60, 2_592_000) : 60;
        var qr = state.CreateQrCode(sceneText, permanent, expire);
        var url = $"http://weixin.qq.com/q/{qr.Ticket[2..14]}";
        return permanent
            ? WeChatReply.Ok(new { ticket = qr.Ticket, url })
            : WeChatReply.Ok(new { ticket = qr.Ticket, expire_seconds = expire, url });
    }

    // mp.weixin.qq.com/cgi-bin/showqrcode: no token. We draw a placeholder card, not a scannable code: in the sandbox
    // a "scan" is POST /sandbox/followers/{openid}/scan with the ticket or scene.
    static IResult ShowQrCode(string? ticket, AccountState state)
    {
        if (ticket is null || state.FindQrCode(ticket) is not { } qr) return Results.NotFound();
        var scene = WebUtility.HtmlEncode(qr.Scene);
        var svg = $"""
            <svg xmlns="http://www.w3.org/2000/svg" width="240" height="240" viewBox="0 0 240 240">
            <rect width="240" height="240" fill="#fff" stroke="#07c160" stroke-width="8"/>
            <text x="120" y="100" font-family="sans-serif" font-size="16" text-anchor="middle">WeChat sandbox QR</text>
            <text x="120" y="135" font-family="monospace" font-size="14" text-anchor="middle">scene: {scene}</text>
            <text x="120" y="165" font-family="sans-serif" font-size="12" text-anchor="middle">{(qr.Permanent ? "permanent" : "temporary")}</text>
            </svg>
            """;
        return Results.Text(svg, "image/svg+xml");
    }

    static IResult BatchGet(HttpContext http, JsonElement body, TokenGuard guard, FollowerRegistry followers, IOptions<SandboxOptions> o)
    {
        if (guard.Reject(http, out _) is { } rejected) return rejected;
        if (!body.TryGetProperty("user_list", out var list) || list.ValueKind != JsonValueKind.Array || list.GetArrayLength() > 100)
            return WeChatReply.Error(47001);
        var users = list.EnumerateArray().Select(u => MessageEndpoints.Str(u, "openid")).OfType<string>()
            .Select(id => UserInfo(followers.GetOrAdd(id), o.Value.OfficialAccount.BoundToOpenPlatform));
        return WeChatReply.Ok(new { user_info_list = users });
    }

    // WeChat gives a UnionID only when the account is bound to an open platform.
    static object UserInfo(Follower f, bool bound) => f.Subscribed
        ? new
        {
            subscribe = 1, openid = f.OpenId, language = "zh_CN", subscribe_time = f.SubscribeTime, unionid = bound ? f.UnionId : null,
            remark = "", groupid = 0, tagid_list = f.TagIds, subscribe_scene = f.SubscribeScene, qr_scene = 0,
            qr_scene_str = f.QrSceneStr,
        }
        : new { subscribe = 0, openid = f.OpenId } as object;

    static IResult CreateTag(HttpContext http, JsonElement body, TokenGuard guard, FollowerRegistry followers)
    {
        if (guard.Reject(http, out _) is { } rejected) return rejected;
        var name = body.TryGetProperty("tag", out var tag) ? MessageEndpoints.Str(tag, "name") : null;
        if (string.IsNullOrEmpty(name) || name.Length > 30) return WeChatReply.Error(45158, "tag name too long");
        if (UserTagLimits.RefuseCreate(followers) is { } full) return WeChatReply.Error(full, "too many tags");
        return followers.CreateTag(name) is { } id ? WeChatReply.Ok(new { tag = new { id, name } }) : WeChatReply.Error(45157);
    }

    static IResult Tagging(HttpContext http, JsonElement body, TokenGuard guard, FollowerRegistry followers, bool add)
    {
        if (guard.Reject(http, out _) is { } rejected) return rejected;
        if (!body.TryGetProperty("tagid", out var t) || !t.TryGetInt32(out var tagId) || !followers.TagExists(tagId)) return WeChatReply.Error(45159);
        if (!body.TryGetProperty("openid_list", out var list) || list.ValueKind != JsonValueKind.Array) return WeChatReply.Error(47001);
        if (list.GetArrayLength() > 50) return WeChatReply.Error(40032, "invalid openid_list size");
        if (add && UserTagLimits.RefuseTagging(followers, tagId, list.EnumerateArray().Select(e => e.GetString()).OfType<string>()) is { } over)
            return WeChatReply.Error(over, "user has too many tags");
        foreach (var openId in list.EnumerateArray().Select(e => e.GetString()).OfType<string>())
            followers.Update(openId, f => f with
            {
                TagIds = add ? [.. f.TagIds.Union([tagId])] : [.. f.TagIds.Where(x => x != tagId)],
            });
        return WeChatReply.Ok();
    }
}
