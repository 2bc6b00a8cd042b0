using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using WeChatMall.Api.Infrastructure.Http;
using WeChatMall.WeChat.Api;

namespace WeChatMall.Api.Features.Channels;

/// <summary>The custom menu as WeChat's <c>menu/create</c> takes it: <c>{"button":[…]}</c>.</summary>
public sealed record MenuRequest
{
    [JsonPropertyName("button")] public IReadOnlyList<MenuButton>? Button { get; init; }
}

/// <summary>
/// Publishes the custom menu (<c>menu/create</c>) after checking WeChat's limits here (<see cref="MenuRules"/>), so a
/// broken menu is a 400 whose code names the rule (and <c>violations</c> lists every broken field) instead of an
/// errcode from WeChat; reads the live menu back with <c>menu/get</c>.
/// </summary>
public static class PublishMenu
{
    static readonly Dictionary<MenuRule, string> Codes = new()
    {
        [MenuRule.ButtonCount] = "MENU_BUTTON_COUNT", [MenuRule.SubButtonCount] = "MENU_SUB_BUTTON_COUNT",
        [MenuRule.NameLength] = "MENU_NAME_LENGTH", [MenuRule.KeyLength] = "MENU_KEY_LENGTH",
        [MenuRule.UrlLength] = "MENU_URL_LENGTH", [MenuRule.UrlScheme] = "MENU_URL_INVALID",
        [MenuRule.ButtonType] = "MENU_BUTTON_TYPE", [MenuRule.MissingField] = "MENU_FIELD_MISSING",
    };

    public static async Task<Results<Ok<MenuRequest>, ProblemHttpResult>> Handle(
        MenuRequest request, OfficialAccountClient wechat, ILogger<MenuRequest> logger, CancellationToken ct)
    {
        if (MenuRules.Check(request.Button) is [var first, ..] violations)
            return Problems.Of(StatusCodes.Status400BadRequest, Codes[first.Rule], "The menu breaks a WeChat limit",
                $"{first.Path}: {first.Message}.", new Dictionary<string, object?>
                {
                    ["violations"] = violations.Select(v => new { code = Codes[v.Rule], path = v.Path, message = v.Message }).ToList(),
                });
        try
        {
            await wechat.CreateMenuAsync(request.Button!, ct);
        }
        catch (Exception ex) when (WeChatFailure.IsWeChatFailure(ex, ct))
        {
            return WeChatFailure.Problem(ex, logger, "menu/create");
        }
        Log.MenuPublished(logger, request.Button!.Count);
        return TypedResults.Ok(request);
    }

    public static async Task<Results<Ok<JsonElement>, ProblemHttpResult>> Get(OfficialAccountClient wechat, ILogger<MenuRequest> logger, CancellationToken ct)
    {
        try
        {
            var live = await wechat.GetMenuAsync(ct);
            return TypedResults.Ok(live.TryGetProperty("menu", out var menu) ? menu : live);
        }
        catch (WeChatApiException ex) when (ex.Errcode == 46003)
        {
            return Problems.NotFound("MENU_NOT_SET", "The account has no custom menu", "Publish one with PUT /admin/channels/menu.");
        }
        catch (Exception ex) when (WeChatFailure.IsWeChatFailure(ex, ct))
        {
            return WeChatFailure.Problem(ex, logger, "menu/get");
        }
    }
}
