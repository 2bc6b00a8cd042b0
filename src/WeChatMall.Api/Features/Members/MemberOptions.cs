using System.ComponentModel.DataAnnotations;

namespace WeChatMall.Api.Features.Members;

public sealed class MemberOptions
{
    public const string SectionName = "Members";

    /// <summary>Lifetime of a member session from login (fixed, not sliding); the mini-program logs in again after.</summary>
    [Range(1, 24 * 90)] public int SessionHours { get; set; } = 168;
}
