using System.ComponentModel.DataAnnotations;

namespace WeChatMall.Api.Features.Members;

public sealed class LoginRequest
{
    /// <summary>The code from wx.login (valid for 5 minutes, once).</summary>
    [Required, StringLength(128, MinimumLength = 1)] public string Code { get; init; } = "";

    /// <summary>Optional: the invite code of the member who referred this shopper; bound only when the login creates the member.</summary>
    [StringLength(16)] public string? InviteCode { get; init; }
}

/// <summary>ReferralRefused: why an inviteCode sent with the login was not bound (SELF_REFERRAL, INVITE_CODE_UNKNOWN, ...); the login still succeeds.</summary>
public sealed record LoginResponse(string Token, DateTimeOffset ExpiresAt, long MemberId, bool IsNewMember, string? ReferralRefused = null);

/// <summary>What a member sees of themselves: identity kinds, never their values or WeChat session data.</summary>
public sealed record MeDto(long Id, string InviteCode, long PointsBalance, string? Tier, IReadOnlyList<string> Identities, DateTime CreatedAt)
{
    /// <summary>Tier and its benefits, progress to the next tier, invite code and link (Features/Loyalty).</summary>
    public MeLoyaltyDto? Loyalty { get; init; }
}

public sealed record PageDto<T>(IReadOnlyList<T> Items, int Page, int PageSize, bool HasMore);

public sealed class PointsAdjustmentRequest
{
    /// <summary>Points to add (positive) or remove (negative); not zero.</summary>
    [Range(-1_000_000_000, 1_000_000_000)] public long Delta { get; init; }
    [Required, StringLength(255, MinimumLength = 1)] public string Reason { get; init; } = "";
    /// <summary>Makes a retried request safe: the same key adjusts once. Generated when absent.</summary>
    [StringLength(100, MinimumLength = 1), RegularExpression("^[A-Za-z0-9_.:-]+$")] public string? IdempotencyKey { get; init; }
}

public sealed record PointsAdjustedDto(long MemberId, LedgerEntryDto Entry, bool Duplicate);

/// <summary>MergedInto: the survivor when this member was merged away (then it holds nothing).</summary>
public sealed record MemberSummaryDto(long Id, string InviteCode, long PointsBalance, string? Tier, DateTime CreatedAt, long? MergedInto);

public sealed record IdentityDto(string Kind, string Value, DateTime CreatedAt);

public sealed record MemberDetailDto(MemberSummaryDto Member, IReadOnlyList<IdentityDto> Identities, IReadOnlyList<LedgerEntryDto> RecentPoints)
{
    /// <summary>Who referred this member and how many members they referred (Features/Loyalty).</summary>
    public MemberReferralDto? Referral { get; init; }

    /// <summary>The Official Account follows behind this member's oa_openids: where they came from (QR scene) and their state.</summary>
    public IReadOnlyList<MemberFollowDto> Follows { get; init; } = [];

    /// <summary>Order totals and the latest orders; the full list is GET /admin/members/{id}/orders.</summary>
    public MemberOrdersSummaryDto? Orders { get; init; }
}

public sealed record MemberFollowDto(string OpenId, string? Nickname, string State, string? SourceChannel, string? LastChannel, DateTime? FirstSubscribedAt);

public sealed record MemberOrderRowDto(string OrderNo, string Status, long PayableFen, long RefundedFen, DateTime CreatedAt, DateTime? PaidAt);

/// <summary>PaidOrders and PaidFen count orders that were paid (whatever happened after), net of refunds in NetPaidFen.</summary>
public sealed record MemberOrdersSummaryDto(int Orders, int PaidOrders, long PaidFen, long NetPaidFen, IReadOnlyList<MemberOrderRowDto> Latest);

public sealed class MemberMergeRequest
{
    /// <summary>The member that disappears into the one in the URL (the survivor).</summary>
    public long MergedMemberId { get; init; }
    [Required, StringLength(255, MinimumLength = 1)] public string Reason { get; init; } = "";
}
