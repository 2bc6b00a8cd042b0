using System.Text;

namespace WeChatMall.WeChat.Api;

/// <summary>The rule a custom menu breaks (<see cref="MenuRules"/>).</summary>
public enum MenuRule { ButtonCount, SubButtonCount, NameLength, KeyLength, UrlLength, UrlScheme, ButtonType, MissingField }

/// <summary>One broken rule: <see cref="Path"/> names the button and field, e.g. <c>button[1].sub_button[0].name</c>.</summary>
public sealed record MenuRuleViolation(MenuRule Rule, string Path, string Message);

/// <summary>
/// The limits <c>cgi-bin/menu/create</c> enforces, checked before calling WeChat
/// (developers.weixin.qq.com/doc/service/api/custommenu/api_createcustommenu): 1–3 top-level buttons, 1–5 sub-buttons;
/// names non-empty, at most 16 bytes (top level) or 60 bytes (sub-buttons) in UTF-8; <c>key</c> at most 128 bytes;
/// <c>url</c> at most 1024 bytes; <c>type</c> and <c>sub_button</c> exclusive; each type's required fields.
/// </summary>
public static class MenuRules
{
    public const int MaxButtons = 3, MaxSubButtons = 5, MaxTopNameBytes = 16, MaxSubNameBytes = 60, MaxKeyBytes = 128, MaxUrlBytes = 1024;

    /// <summary>Every type <c>menu/create</c> accepts, with the fields it requires.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> RequiredFields = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        ["click"] = ["key"], ["view"] = ["url"], ["miniprogram"] = ["url", "appid", "pagepath"],
        ["scancode_push"] = ["key"], ["scancode_waitmsg"] = ["key"], ["pic_sysphoto"] = ["key"],
        ["pic_photo_or_album"] = ["key"], ["pic_weixin"] = ["key"], ["location_select"] = ["key"],
        ["media_id"] = ["media_id"], ["view_limited"] = ["media_id"], ["article_id"] = ["article_id"],
        ["article_view_limited"] = ["article_id"],
    };

    public static IReadOnlyList<MenuRuleViolation> Check(IReadOnlyList<MenuButton>? buttons)
    {
        var found = new List<MenuRuleViolation>();
        if (buttons is not { Count: >= 1 and <= MaxButtons })
            found.Add(new(MenuRule.ButtonCount, "button", $"a menu has 1 to {MaxButtons} top-level buttons, not {buttons?.Count ?? 0}"));
        for (var i = 0; i < (buttons?.Count ?? 0); i++)
        {
            var b = buttons![i];
            var path = $"button[{i}]";
            if (b is null)
            {
                found.Add(new(MenuRule.ButtonType, path, "a button is an object, not null"));
                continue;
            }
            CheckName(b, path, MaxTopNameBytes, found);
            if (b.SubButtons is { } subs)
            {
                if (subs.Count is 0 or > MaxSubButtons)
                    found.Add(new(MenuRule.SubButtonCount, path + ".sub_button", $"a button has 1 to {MaxSubButtons} sub-buttons, not {subs.Count}"));
                if (b.Type is not null)
                    found.Add(new(MenuRule.ButtonType, path + ".type", "a button with sub-buttons has no type"));
                for (var j = 0; j < subs.Count; j++)
                {
                    var s = subs[j];
                    var subPath = $"{path}.sub_button[{j}]";
                    if (s is null)
                    {
                        found.Add(new(MenuRule.ButtonType, subPath, "a button is an object, not null"));
                        continue;
                    }
                    CheckName(s, subPath, MaxSubNameBytes, found);
                    if (s.SubButtons is not null)
                        found.Add(new(MenuRule.SubButtonCount, subPath + ".sub_button", "menus have two levels only"));
                    CheckAction(s, subPath, found);
                }
            }
            else CheckAction(b, path, found);
        }
        return found;
    }

    static void CheckName(MenuButton b, string path, int maxBytes, List<MenuRuleViolation> found)
    {
        var bytes = Encoding.UTF8.GetByteCount(b.Name ?? "");
        if (bytes is 0 || bytes > maxBytes)
            found.Add(new(MenuRule.NameLength, path + ".name", $"names are 1 to {maxBytes} bytes (UTF-8) here, not {bytes}"));
    }

    static void CheckAction(MenuButton b, string path, List<MenuRuleViolation> found)
    {
        if (b.Type is null || !RequiredFields.TryGetValue(b.Type, out var required))
        {
            found.Add(new(MenuRule.ButtonType, path + ".type", $"unknown button type '{b.Type}'; one of: {string.Join(", ", RequiredFields.Keys)}"));
            return;
        }
        foreach (var field in required.Where(f => string.IsNullOrEmpty(Field(b, f))))
            found.Add(new(MenuRule.MissingField, $"{path}.{field}", $"a '{b.Type}' button needs '{field}'"));
        if (b.Key is { } key && Encoding.UTF8.GetByteCount(key) > MaxKeyBytes)
            found.Add(new(MenuRule.KeyLength, path + ".key", $"keys are at most {MaxKeyBytes} bytes"));
        if (b.Url is { Length: > 0 } url)
        {
            if (Encoding.UTF8.GetByteCount(url) > MaxUrlBytes)
                found.Add(new(MenuRule.UrlLength, path + ".url", $"URLs are at most {MaxUrlBytes} bytes"));
            else if (!Uri.TryCreate(url, UriKind.Absolute, out var u) || (u.Scheme != Uri.UriSchemeHttp && u.Scheme != Uri.UriSchemeHttps))
                found.Add(new(MenuRule.UrlScheme, path + ".url", "URLs are absolute http(s) links"));
        }
    }

    static string? Field(MenuButton b, string name) => name switch
    {
        "key" => b.Key,
        "url" => b.Url,
        "appid" => b.AppId,
        "pagepath" => b.PagePath,
        "media_id" => b.MediaId,
        "article_id" => b.ArticleId,
        _ => null,
    };
}
