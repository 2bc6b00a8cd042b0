using System.Text;
using System.Text.Json;

namespace WeChatMall.Sandbox.OfficialAccount;

/// <summary>
/// What WeChat's menu/create refuses, with its errcodes (docs/wechat-protocol.md#custom-menu): 40016 button count,
/// 40017 button type, 40018 name length (16 bytes top level, 60 bytes sub-buttons), 40019 key length (128 bytes),
/// 40055 url (1024 bytes, http/https). The sandbox checks on its own, apart from the app's MenuRules.
/// </summary>
public static class MenuLimits
{
    static readonly HashSet<string> KeyTypes = ["click", "scancode_push", "scancode_waitmsg", "pic_sysphoto", "pic_photo_or_album", "pic_weixin", "location_select"];
    static readonly HashSet<string> Types = [.. KeyTypes, "view", "miniprogram", "media_id", "view_limited", "article_id", "article_view_limited"];

    /// <summary>0 when WeChat would take the menu, else its errcode.</summary>
    public static int Check(JsonElement body)
    {
        if (!body.TryGetProperty("button", out var buttons) || buttons.ValueKind != JsonValueKind.Array || buttons.GetArrayLength() is 0 or > 3)
            return 40016;
        foreach (var b in buttons.EnumerateArray())
        {
            if (b.ValueKind != JsonValueKind.Object) return 40017;
            if (NameTooLong(b, 16)) return 40018;
            if (b.TryGetProperty("sub_button", out var subs) && subs.ValueKind == JsonValueKind.Array && subs.GetArrayLength() > 0)
            {
                if (subs.GetArrayLength() > 5) return 40016;
                foreach (var s in subs.EnumerateArray())
                {
                    if (s.ValueKind != JsonValueKind.Object) return 40017;
                    if (NameTooLong(s, 60)) return 40018;
                    if (Leaf(s) is not 0 and var code) return code;
                }
                continue;
            }
            if (Leaf(b) is var error and not 0) return error;
        }
        return 0;
    }

    static int Leaf(JsonElement b)
    {
        var type = Str(b, "type");
        if (type is null || !Types.Contains(type)) return 40017;
        var key = Str(b, "key");
        if (KeyTypes.Contains(type) && string.IsNullOrEmpty(key)) return 40019;
        if (key is not null && Encoding.UTF8.GetByteCount(key) > 128) return 40019;
        var url = Str(b, "url");
        if (type is "view" or "miniprogram" && string.IsNullOrEmpty(url)) return 40055;
        if (url is not null && (Encoding.UTF8.GetByteCount(url) > 1024
            || !Uri.TryCreate(url, UriKind.Absolute, out var u) || u.Scheme is not ("http" or "https")))
            return 40055;
        return 0;
    }

    static bool NameTooLong(JsonElement b, int maxBytes) => Str(b, "name") is not { Length: > 0 } name || Encoding.UTF8.GetByteCount(name) > maxBytes;

    static string? Str(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
