using System.Globalization;
using System.Text.RegularExpressions;

namespace WeChatMall.WeChat.Api;

/// <summary>
/// What WeChat accepts in template and subscribe message fields, checked before sending so a whole campaign does not
/// fail at WeChat one call at a time. OA template messages (since 2023-05-04,
/// developers.weixin.qq.com/doc/offiaccount/Message_Management/Template_Message_Interface.html): no <c>first</c> or
/// <c>remark</c>, each value at most 20 characters with no line break. Subscribe messages
/// (developers.weixin.qq.com/miniprogram/dev/OpenApiDoc/mp-message-management/subscribe-message/sendMessage.html):
/// the limit follows the keyword's type, the name without its number (<c>thing1</c> is a <c>thing</c>).
/// </summary>
public static partial class TemplateFieldRules
{
    /// <summary>Longest OA template field value.</summary>
    public const int TemplateValueMax = 20;

    /// <summary>Problems with an OA template message's data, as "field: reason"; empty when WeChat would accept it.</summary>
    public static IReadOnlyList<string> CheckTemplate(IReadOnlyDictionary<string, string> data)
    {
        var errors = new List<string>();
        foreach (var (key, value) in data)
        {
            if (key is "first" or "remark") errors.Add($"{key}: WeChat no longer shows 'first' or 'remark'");
            else if (Length(value) > TemplateValueMax) errors.Add($"{key}: at most {TemplateValueMax} characters");
            else if (value.Contains('\n') || value.Contains('\r')) errors.Add($"{key}: no line breaks");
        }
        return errors;
    }

    /// <summary>Problems with a subscribe message's data, as "field: reason"; empty when WeChat would accept it.</summary>
    public static IReadOnlyList<string> CheckSubscribe(IReadOnlyDictionary<string, string> data)
    {
        var errors = new List<string>();
        foreach (var (key, value) in data)
            if (CheckSubscribeValue(TypeOf(key), value) is { } reason) errors.Add($"{key}: {reason}");
        return errors;
    }

    /// <summary>The keyword type of a field name: <c>thing12</c> → <c>thing</c>.</summary>
    public static string TypeOf(string key) => key.TrimEnd('0', '1', '2', '3', '4', '5', '6', '7', '8', '9');

    static string? CheckSubscribeValue(string type, string value) => type switch
    {
        _ when value.Length == 0 => "must not be empty",
        "thing" => Length(value) <= 20 ? null : "a thing is at most 20 characters",
        "short_thing" => Length(value) <= 5 ? null : "a short_thing is at most 5 characters",
        "phrase" => Length(value) <= 5 && ChineseOnly().IsMatch(value) ? null : "a phrase is at most 5 Chinese characters",
        "name" => (Length(value) <= 10 && ChineseOnly().IsMatch(value)) || (value.Length <= 20 && LettersOnly().IsMatch(value))
            ? null : "a name is at most 10 Chinese characters or 20 letters",
        "character_string" => value.Length <= 32 && CharacterString().IsMatch(value) ? null : "at most 32 digits, letters or symbols",
        "number" => value.Length <= 32 && Number().IsMatch(value) ? null : "a number is at most 32 digits",
        "letter" => value.Length <= 32 && LettersOnly().IsMatch(value) ? null : "a letter field is at most 32 letters",
        "symbol" => value.Length <= 5 && Symbol().IsMatch(value) ? null : "a symbol is at most 5 symbols",
        "amount" => Amount().IsMatch(value) ? null : "an amount is a currency sign and at most 10 digits",
        "phone_number" => value.Length <= 17 && Phone().IsMatch(value) ? null : "a phone number is at most 17 digits or symbols",
        "car_number" => Length(value) <= 8 ? null : "a car number is at most 8 characters",
        "date" or "time" => IsDateTime(value) ? null : "a date/time is yyyy-MM-dd, yyyy-MM-dd HH:mm or HH:mm",
        _ => null, // a type WeChat added later: WeChat itself answers 47003 if the value is wrong
    };

    static bool IsDateTime(string value) => DateTime.TryParseExact(value,
        ["yyyy-MM-dd", "yyyy-MM-dd HH:mm", "yyyy-MM-dd HH:mm:ss", "yyyy年M月d日", "yyyy年M月d日 HH:mm", "HH:mm", "yyyy-MM-dd ~ yyyy-MM-dd"],
        CultureInfo.InvariantCulture, DateTimeStyles.None, out _) || DateRange().IsMatch(value);

    static int Length(string value) => new StringInfo(value).LengthInTextElements;

    [GeneratedRegex(@"^\p{IsCJKUnifiedIdeographs}+$")] private static partial Regex ChineseOnly();
    [GeneratedRegex(@"^[A-Za-z ]+$")] private static partial Regex LettersOnly();
    [GeneratedRegex(@"^[0-9A-Za-z\p{P}\p{S}]+$")] private static partial Regex CharacterString();
    [GeneratedRegex(@"^[0-9]+(\.[0-9]+)?$")] private static partial Regex Number();
    [GeneratedRegex(@"^[\p{P}\p{S}]+$")] private static partial Regex Symbol();
    [GeneratedRegex(@"^[¥￥$€£]?[0-9]{1,10}(\.[0-9]{1,2})?元?$")] private static partial Regex Amount();
    [GeneratedRegex(@"^[0-9+\-() ]+$")] private static partial Regex Phone();
    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}( \d{2}:\d{2})? ~ \d{4}-\d{2}-\d{2}( \d{2}:\d{2})?$")] private static partial Regex DateRange();
}
