namespace WeChatMall.Sandbox.OfficialAccount;

/// <summary>api.weixin.qq.com answers everything with HTTP 200 and an errcode; errmsg ends with a request id.</summary>
public static class WeChatReply
{
    static readonly Dictionary<int, string> Messages = new()
    {
        [-1] = "system error", [40001] = "invalid credential, access_token is invalid or not latest",
        [40002] = "invalid grant_type", [40003] = "invalid openid", [40013] = "invalid appid",
        [40016] = "invalid button size", [40029] = "invalid code", [40125] = "invalid appsecret",
        [40163] = "code been used", [41001] = "access_token missing", [41002] = "appid missing",
        [41004] = "appsecret missing", [42001] = "access_token expired", [45009] = "reach max api daily quota limit",
        [45015] = "response out of time limit or subscription is canceled", [45157] = "invalid tag name",
        [45159] = "invalid tag id", [46003] = "menu no exist", [47001] = "data format error",
        [48001] = "api unauthorized",
        [40037] = "invalid template_id", [43101] = "user refuse to accept the msg", [45047] = "out of response count limit",
        [47003] = "argument invalid! data.thing1.value invalid",
    };

    public static IResult Error(int errcode, string? detail = null) => Results.Json(new
    {
        errcode,
        errmsg = $"{detail ?? Messages.GetValueOrDefault(errcode, "error")} rid: {Guid.NewGuid().ToString("N")[..16]}",
    });

    public static IResult Ok() => Results.Json(new { errcode = 0, errmsg = "ok" });

    public static IResult Ok(object body) => Results.Json(body);
}

/// <summary>Checks the access_token query parameter the way every cgi-bin call does.</summary>
public sealed class TokenGuard(TokenService tokens)
{
    public IResult? Reject(HttpContext http, out string? appId)
        => tokens.Validate(http.Request.Query["access_token"], out appId) is not 0 and var errcode ? WeChatReply.Error(errcode) : null;
}
