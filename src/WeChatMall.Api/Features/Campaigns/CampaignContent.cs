using System.Globalization;
using System.Text.RegularExpressions;
using WeChatMall.WeChat.Api;

namespace WeChatMall.Api.Features.Campaigns;

public sealed record TemplateContent(string TemplateId, Dictionary<string, string> Data, string? Url = null);

public sealed record SubscribeContent(string TemplateId, Dictionary<string, string> Data, string? Page = null);

/// <summary>
/// A mass send (群发): exactly one of Text, MediaId (a published article, mpnews) or ImageMediaId. TagId: one of our
/// audience tags synced to a WeChat tag (POST /admin/tags/{id}/wechat-sync) to send with sendall to that WeChat tag;
/// without it the frozen recipients' openids are sent with mass/send, in chunks. One message for all: no placeholders.
/// </summary>
public sealed record MassCampaignContent(string? Text = null, string? MediaId = null, string? ImageMediaId = null, long? TagId = null)
{
    public MassContent ToWeChat() => Text is { } t ? MassContent.Text(t) : MediaId is { } m ? MassContent.News(m) : MassContent.Image(ImageMediaId!);
}

/// <summary>
/// What a campaign says on each channel it may use. Values may hold the placeholders {nickname}, {points}, {tier} and
/// {coupon}, replaced per recipient before the field rules are checked. The text channel (customer-service messages)
/// carries one of Text, Image, News or MiniProgram (<see cref="CustomContent"/>); the mass channel its own content,
/// without placeholders (<see cref="MassCampaignContent"/>).
/// </summary>
public sealed partial record CampaignContent(TemplateContent? Template = null, SubscribeContent? Subscribe = null, string? Text = null,
    CustomImage? Image = null, CustomNews? News = null, CustomMiniProgramCard? MiniProgram = null, MassCampaignContent? Mass = null)
{
    public const int MaxTextLength = 2_000;

    /// <summary>One member's placeholder values; Coupon: the granted coupon's name and value.</summary>
    public sealed record Person(string? Nickname, long Points, string? Tier, string? Coupon = null);

    public static string Render(string value, Person p)
    {
        // A member without a nickname must not get a message that opens with "，".
        if (string.IsNullOrEmpty(p.Nickname) && value.StartsWith("{nickname}", StringComparison.Ordinal))
            value = value["{nickname}".Length..].TrimStart('，', ',', '、', '！', '!', ' ');
        return value
            .Replace("{nickname}", p.Nickname ?? "", StringComparison.Ordinal)
            .Replace("{points}", p.Points.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{tier}", p.Tier ?? "", StringComparison.Ordinal)
            .Replace("{coupon}", p.Coupon ?? "", StringComparison.Ordinal);
    }

    /// <summary>Whether any value names {coupon}.</summary>
    public bool UsesCoupon => new[] { Text, News?.Title, News?.Description, MiniProgram?.Title }
        .Concat(Template?.Data.Values ?? Enumerable.Empty<string>()).Concat(Subscribe?.Data.Values ?? Enumerable.Empty<string>())
        .Any(v => v?.Contains("{coupon}", StringComparison.Ordinal) == true);

    bool HasCustom => !string.IsNullOrWhiteSpace(Text) || Image is not null || News is not null || MiniProgram is not null;

    public static Dictionary<string, string> Render(Dictionary<string, string> data, Person p) =>
        data.ToDictionary(kv => kv.Key, kv => Render(kv.Value, p), StringComparer.Ordinal);

    /// <summary>The placeholders in a mass send's text: a mass send is one message for all, so none can be filled in.</summary>
    public static IReadOnlyList<string> Placeholders(string? text) =>
        text is null ? [] : [.. Placeholder().Matches(text).Select(m => m.Value).Distinct(StringComparer.Ordinal)];

    [GeneratedRegex(@"\{[A-Za-z_][A-Za-z0-9_]*\}")] private static partial Regex Placeholder();

    // Checked with a long nickname and a large balance, so a campaign that passes here fits every recipient but an outlier.
    static readonly Person Sample = new("微信用户", 99_999, "gold", "满100减20元券（20元）");

    /// <summary>Problems with the content for these channels ("channel.field: reason"); empty when it can be sent.</summary>
    public IReadOnlyList<string> Check(IReadOnlyList<string> channels, TemplateRegistry.Known known)
    {
        var errors = new List<string>();
        foreach (var channel in channels)
        {
            switch (channel)
            {
                case CampaignChannels.Template when Template is null:
                case CampaignChannels.Subscribe when Subscribe is null:
                case CampaignChannels.Text when !HasCustom:
                    errors.Add($"{channel}: the campaign uses this channel but has no content for it");
                    break;
                case CampaignChannels.Template:
                    errors.AddRange(TemplateFieldRules.CheckTemplate(Render(Template!.Data, Sample)).Select(e => "template." + e));
                    errors.AddRange(known.Missing("oa", Template.TemplateId, Template.Data.Keys).Select(e => "template." + e));
                    break;
                case CampaignChannels.Subscribe:
                    errors.AddRange(TemplateFieldRules.CheckSubscribe(Render(Subscribe!.Data, Sample)).Select(e => "subscribe." + e));
                    errors.AddRange(known.Missing("subscribe", Subscribe.TemplateId, Subscribe.Data.Keys).Select(e => "subscribe." + e));
                    break;
                case CampaignChannels.Text when Text is { Length: > MaxTextLength }:
                    errors.Add($"text: at most {MaxTextLength} characters");
                    break;
                case CampaignChannels.Mass when Mass is null:
                    errors.Add("mass: the campaign uses this channel but has no content for it");
                    break;
                case CampaignChannels.Mass when new[] { Mass.Text, Mass.MediaId, Mass.ImageMediaId }.Count(v => !string.IsNullOrWhiteSpace(v)) != 1:
                    errors.Add("mass: give exactly one of text, mediaId (mpnews) or imageMediaId");
                    break;
                case CampaignChannels.Mass when Mass.Text is { Length: > MaxTextLength }:
                    errors.Add($"mass.text: at most {MaxTextLength} characters");
                    break;
                case CampaignChannels.Text:
                    errors.AddRange(CustomContent.Check(this));
                    break;
            }
        }
        return errors;
    }
}
