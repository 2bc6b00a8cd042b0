using System.ComponentModel.DataAnnotations;

namespace WeChatMall.Api.Features.Followers;

public sealed class FollowerOptions
{
    public const string SectionName = "Followers";

    /// <summary>Inbound messages and events older than this are deleted (the follower rows stay).</summary>
    [Range(1, 3650)] public int MessageRetentionDays { get; set; } = 365;
}
