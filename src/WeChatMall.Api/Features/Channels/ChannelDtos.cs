using System.ComponentModel.DataAnnotations;

namespace WeChatMall.Api.Features.Channels;

/// <summary>
/// A new channel. <see cref="Scene"/> is the QR scene_str WeChat echoes on every scan (1–64 characters; made up when
/// omitted). Temporary codes live <see cref="ExpireSeconds"/> (at most 30 days, WeChat's limit; 30 days by default).
/// </summary>
public sealed record CreateChannelRequest
{
    [Required, StringLength(64, MinimumLength = 1)] public string? Name { get; init; }

    /// <summary>parcel_insert, store, event, ad or staff.</summary>
    [Required] public string? Kind { get; init; }

    [StringLength(64, MinimumLength = 1)] public string? Scene { get; init; }

    public bool Permanent { get; init; }

    [Range(60, QrLimits.MaxTemporarySeconds)] public int? ExpireSeconds { get; init; }
}

public sealed record ChannelDto
{
    public long Id { get; init; }
    public required string Name { get; init; }
    public required string Kind { get; init; }
    public required string Scene { get; init; }
    public bool Permanent { get; init; }
    public required string Ticket { get; init; }

    /// <summary>The content of the QR code (what the PNG/SVG encode).</summary>
    public required string QrUrl { get; init; }

    public DateTime? ExpiresAt { get; init; }
    public DateTime CreatedAt { get; init; }
}

/// <summary>
/// A channel's funnel (docs/channels.md#funnel): every scan, the followers it brought first, the members among them,
/// those who bought after following, their net revenue (fen, refunds deducted), repeat buyers, and 30-day retention.
/// </summary>
public sealed record ChannelFunnelDto
{
    public long ChannelId { get; init; }
    public long Scans { get; init; }
    public long NewFollowers { get; init; }
    public long MembersBound { get; init; }
    public long FirstPurchases { get; init; }
    public long RevenueFen { get; init; }
    public long Repurchasers { get; init; }
    public long FollowedAtLeast30DaysAgo { get; init; }
    public long StillFollowingAfter30Days { get; init; }
}

/// <summary>The kinds of channel a merchant prints codes for.</summary>
public static class ChannelKinds
{
    public static readonly IReadOnlyList<string> All = ["parcel_insert", "store", "event", "ad", "staff"];
}

/// <summary>WeChat's parametric QR limits (developers.weixin.qq.com/doc/service/api/qrcode/qrcodes/api_createqrcode).</summary>
public static class QrLimits
{
    public const int MaxTemporarySeconds = 2_592_000;
    public const int MaxPermanentCodes = 100_000;
}
