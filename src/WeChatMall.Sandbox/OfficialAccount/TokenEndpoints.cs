using System.Text.Json.Serialization;

namespace WeChatMall.Sandbox.OfficialAccount;

public static class TokenEndpoints
{
    public sealed record StableTokenRequest(
        [property: JsonPropertyName("grant_type")] string? GrantType, [property: JsonPropertyName("appid")] string? AppId,
        [property: JsonPropertyName("secret")] string? Secret, [property: JsonPropertyName("force_refresh")] bool ForceRefresh = false);

    public static void MapTokens(this IEndpointRouteBuilder app)
    {
        app.MapGet("/cgi-bin/token", (string? grant_type, string? appid, string? secret, TokenService tokens)
            => Answer(tokens.Issue(grant_type, appid, secret, stable: false, force: false)));
        app.MapPost("/cgi-bin/stable_token", (StableTokenRequest r, TokenService tokens)
            => Answer(tokens.Issue(r.GrantType, r.AppId, r.Secret, stable: true, force: r.ForceRefresh)));
    }

    static IResult Answer((int Errcode, string? Token, int ExpiresIn) r) => r.Errcode == 0
        ? WeChatReply.Ok(new { access_token = r.Token, expires_in = r.ExpiresIn })
        : WeChatReply.Error(r.Errcode);
}
