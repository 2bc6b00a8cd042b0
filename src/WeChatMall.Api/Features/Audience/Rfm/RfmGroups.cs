namespace WeChatMall.Api.Features.Audience.Rfm;

/// <summary>
/// The eight standard RFM groups. R is high when the last paid order is recent (fewer days than the threshold), F and M
/// are high when above their thresholds.
/// </summary>
public static class RfmGroups
{
    public const string ImportantValue = "important_value";       // 重要价值 R↑F↑M↑
    public const string ImportantKeep = "important_keep";         // 重要保持 R↓F↑M↑
    public const string ImportantDevelop = "important_develop";   // 重要发展 R↑F↓M↑
    public const string ImportantRetain = "important_retain";     // 重要挽留 R↓F↓M↑
    public const string GeneralValue = "general_value";           // 一般价值 R↑F↑M↓
    public const string GeneralKeep = "general_keep";             // 一般保持 R↓F↑M↓
    public const string GeneralDevelop = "general_develop";       // 一般发展 R↑F↓M↓
    public const string GeneralRetain = "general_retain";         // 一般挽留 R↓F↓M↓

    public static readonly IReadOnlyDictionary<string, string> ChineseNames = new Dictionary<string, string>
    {
        [ImportantValue] = "重要价值", [ImportantKeep] = "重要保持", [ImportantDevelop] = "重要发展", [ImportantRetain] = "重要挽留",
        [GeneralValue] = "一般价值", [GeneralKeep] = "一般保持", [GeneralDevelop] = "一般发展", [GeneralRetain] = "一般挽留",
    };

    public static IReadOnlyList<string> All { get; } = [.. ChineseNames.Keys];

    public static string Of(bool recent, bool frequent, bool big) => (recent, frequent, big) switch
    {
        (true, true, true) => ImportantValue,
        (false, true, true) => ImportantKeep,
        (true, false, true) => ImportantDevelop,
        (false, false, true) => ImportantRetain,
        (true, true, false) => GeneralValue,
        (false, true, false) => GeneralKeep,
        (true, false, false) => GeneralDevelop,
        (false, false, false) => GeneralRetain,
    };

    /// <summary>A group code from its code or its Chinese name; null when it is neither.</summary>
    public static string? Parse(string value) =>
        ChineseNames.ContainsKey(value) ? value : ChineseNames.FirstOrDefault(p => p.Value == value).Key;
}
