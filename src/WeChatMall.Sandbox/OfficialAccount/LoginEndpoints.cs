using Microsoft.Extensions.Options;

namespace WeChatMall.Sandbox.OfficialAccount;

/// <summary>Web OAuth (docs/wechat-protocol.md#web-oauth: authorize, code exchange, userinfo) and mini-program code2Session (docs/wechat-protocol.md#mini-program-login).</summary>
public static class LoginEndpoints
{
    public sealed record PhoneCodeBody(string? Code);
    public sealed record PhoneCodeRequest(string PurePhoneNumber, string? CountryCode = null);
    public sealed record CodeRequest(string? OpenId = null, string? UnionId = null, string? Scope = null, bool Snapshot = false);

    public static void MapLogins(this IEndpointRouteBuilder app)
    {
        // open.weixin.qq.com: the user "consents" at once, as the follower named by ?openid= (default: the first demo user);
        // ?snapshot=1 plays a visitor of a snapshot page (is_snapshotuser=1 on the code exchange).
        app.MapGet("/connect/oauth2/authorize", (string? appid, string? redirect_uri, string? scope, string? state, string? openid,
            bool? snapshot, CodeStore codes, FollowerRegistry followers, IOptions<SandboxOptions> o) =>
        {
            if (appid != o.Value.OfficialAccount.AppId) return Results.Text("10016 appid mismatch", statusCode: 400);
            if (!Uri.TryCreate(redirect_uri, UriKind.Absolute, out var target)) return Results.Text("10003 redirect_uri", statusCode: 400);
            var user = followers.GetOrAdd(openid ?? FollowerRegistry.Demo[0].OpenId);
            var code = codes.Issue(appid, user.OpenId, user.UnionId, scope ?? "snsapi_base", snapshot == true);
            var sep = string.IsNullOrEmpty(target.Query) ? "?" : "&";
            return Results.Redirect($"{target}{sep}code={code}&state={Uri.EscapeDataString(state ?? "")}");
        });
        app.MapGet("/sns/oauth2/access_token", (string? appid, string? secret, string? code, string? grant_type,
            CodeStore codes, TokenService tokens) =>
        {
            if (grant_type != "authorization_code") return WeChatReply.Error(40002);
            if (tokens.CheckCredentials(appid, secret) is not 0 and var bad) return WeChatReply.Error(bad);
            var (errcode, grant) = codes.Redeem(code, appid!);
            if (errcode != 0) return WeChatReply.Error(errcode);
            return WeChatReply.Ok(new
            {
                access_token = codes.IssueWebToken(grant!), expires_in = 7200, refresh_token = CodeStore.Random(32),
                openid = grant!.OpenId, scope = grant.Scope,
                unionid = grant.Scope == "snsapi_userinfo" && !grant.Snapshot ? grant.UnionId : null,
                is_snapshotuser = grant.Snapshot ? 1 : (int?)null,
            });
        });
        app.MapGet("/sns/userinfo", (string? access_token, string? openid, CodeStore codes, FollowerRegistry followers) =>
        {
            if (codes.FindWebToken(access_token) is not { } grant) return WeChatReply.Error(40001);
            if (grant.OpenId != openid) return WeChatReply.Error(40003);
            if (grant.Scope != "snsapi_userinfo") return WeChatReply.Error(48001);
            var f = followers.GetOrAdd(grant.OpenId);
            return WeChatReply.Ok(new
            {
                openid = f.OpenId, nickname = f.Nickname, sex = 0, province = "", city = "", country = "",
                headimgurl = "", privilege = Array.Empty<string>(), unionid = f.UnionId,
            });
        });
        app.MapGet("/sns/jscode2session", (string? appid, string? secret, string? js_code, string? grant_type,
            CodeStore codes, TokenService tokens, IOptions<SandboxOptions> o) =>
        {
            if (grant_type != "authorization_code") return WeChatReply.Error(40002);
            if (appid != o.Value.MiniProgram.AppId) return WeChatReply.Error(40013);
            if (tokens.CheckCredentials(appid, secret) is not 0 and var bad) return WeChatReply.Error(bad);
            var (errcode, grant) = codes.Redeem(js_code, appid!);
            if (errcode != 0) return WeChatReply.Error(errcode);
            return WeChatReply.Ok(new { openid = grant!.OpenId, session_key = CodeStore.Random(16), unionid = grant.UnionId });
        });

        // docs/wechat-protocol.md#phone-number: the code of a getPhoneNumber button, redeemed once with the mini-program's access_token.
        app.MapPost("/wxa/business/getuserphonenumber", (HttpContext h, PhoneCodeBody? b, TokenGuard g, CodeStore codes, IOptions<SandboxOptions> o,
            TimeProvider time) =>
        {
            if (g.Reject(h, out var appId) is { } rejected) return rejected;
            if (appId != o.Value.MiniProgram.AppId) return WeChatReply.Error(48001);
            var (errcode, grant) = codes.Redeem(b?.Code, appId);
            if (errcode != 0) return WeChatReply.Error(errcode);
            if (grant!.Phone is not { } phone) return WeChatReply.Error(40029);
            return WeChatReply.Ok(new
            {
                errcode = 0, errmsg = "ok",
                phone_info = new
                {
                    phoneNumber = phone.CountryCode == "86" ? phone.PurePhoneNumber : $"+{phone.CountryCode}{phone.PurePhoneNumber}",
                    purePhoneNumber = phone.PurePhoneNumber, countryCode = phone.CountryCode,
                    watermark = new { timestamp = time.GetUtcNow().ToUnixTimeSeconds(), appid = appId },
                },
            });
        });

        // Control: what wx.login / the OAuth redirect / a getPhoneNumber button would hand the client.
        app.MapPost("/sandbox/miniprogram/codes", (CodeRequest? r, CodeStore codes, IOptions<SandboxOptions> o) =>
        {
            var openId = r?.OpenId ?? "o_mp_" + CodeStore.Random(12);
            return Results.Ok(new { code = codes.Issue(o.Value.MiniProgram.AppId, openId, r?.UnionId ?? "u" + openId, "mp"), openid = openId });
        });
        app.MapPost("/sandbox/miniprogram/phone-codes", (PhoneCodeRequest r, CodeStore codes, IOptions<SandboxOptions> o) =>
            Results.Ok(new { code = codes.IssuePhone(o.Value.MiniProgram.AppId, new CodeStore.PhoneGrant(r.PurePhoneNumber, r.CountryCode ?? "86")) }));
        app.MapPost("/sandbox/oauth/codes", (CodeRequest? r, CodeStore codes, FollowerRegistry followers, IOptions<SandboxOptions> o) =>
        {
            var user = followers.GetOrAdd(r?.OpenId ?? FollowerRegistry.Demo[0].OpenId);
            var code = codes.Issue(o.Value.OfficialAccount.AppId, user.OpenId, r?.UnionId ?? user.UnionId, r?.Scope ?? "snsapi_userinfo", r?.Snapshot ?? false);
            return Results.Ok(new { code, openid = user.OpenId });
        });
    }
}
