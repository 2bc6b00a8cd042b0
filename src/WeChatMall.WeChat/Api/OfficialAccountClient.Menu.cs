using System.Text.Json;
using System.Text.Json.Serialization;

namespace WeChatMall.WeChat.Api;

public sealed partial class OfficialAccountClient
{
    /// <summary><c>cgi-bin/menu/create</c>, refused here (ArgumentException) when it breaks one of <see cref="MenuRules"/> (docs/wechat-protocol.md#custom-menu).</summary>
    public Task CreateMenuAsync(IReadOnlyList<MenuButton> buttons, CancellationToken ct)
    {
        if (MenuRules.Check(buttons) is [var first, ..])
            throw new ArgumentException($"The menu breaks a WeChat limit at {first.Path}: {first.Message}.", nameof(buttons));
        return _api.PostAsync("cgi-bin/menu/create", new { button = buttons }, ct);
    }

    /// <summary><c>cgi-bin/menu/get</c>: the raw JSON (API-made menu and conditional menus).</summary>
    public Task<JsonElement> GetMenuAsync(CancellationToken ct) => _api.GetAsync("cgi-bin/menu/get", ct);

    /// <summary><c>cgi-bin/menu/delete</c>: removes the menu including conditional menus.</summary>
    public Task DeleteMenuAsync(CancellationToken ct) => _api.GetAsync("cgi-bin/menu/delete", ct);
}

/// <summary>
/// A custom-menu button (docs/wechat-protocol.md#custom-menu). Set <see cref="Type"/> (<c>click</c>, <c>view</c>, <c>miniprogram</c>,
/// <c>scancode_push</c>, …) with its key/url/appid fields, or only <see cref="Name"/> and <see cref="SubButtons"/>.
/// </summary>
public sealed record MenuButton
{
    [JsonPropertyName("type")] public string? Type { get; init; }
    [JsonPropertyName("name")] public required string Name { get; init; }
    [JsonPropertyName("key")] public string? Key { get; init; }
    [JsonPropertyName("url")] public string? Url { get; init; }
    [JsonPropertyName("appid")] public string? AppId { get; init; }
    [JsonPropertyName("pagepath")] public string? PagePath { get; init; }
    [JsonPropertyName("media_id")] public string? MediaId { get; init; }
    [JsonPropertyName("article_id")] public string? ArticleId { get; init; }
    [JsonPropertyName("sub_button")] public IReadOnlyList<MenuButton>? SubButtons { get; init; }
}
