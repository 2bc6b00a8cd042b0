using WeChatMall.Api.Features.Campaigns;

namespace WeChatMall.Api.Features.Journeys;

/// <summary>
/// What a journey does (docs/journeys.md): who enters (the trigger), when they leave early (the goal) and the steps
/// they pass, in order. Saved as a new version every time; a member stays on the version it entered with.
/// </summary>
public sealed record JourneyDefinition(JourneyTrigger Trigger, JourneyGoal? Goal, IReadOnlyList<JourneyStep> Steps);

/// <summary>
/// Type: followed (ChannelId: only follows through that channel's code), member_bound (a phone number bound),
/// first_order_paid, order_paid, no_purchase (Days since the last paid order), points_expiring and coupon_expiring
/// (within Days), tag_added (TagId).
/// </summary>
public sealed record JourneyTrigger(string Type, long? ChannelId = null, int? Days = null, long? TagId = null);

/// <summary>Type: bought (a paid order after entering the journey).</summary>
public sealed record JourneyGoal(string Type);

/// <summary>
/// One step. wait: Days and/or Until ("HH:mm" China time: the next such time after the days). branch: Condition, then
/// OnTrue (a later step number, 0-based; null = the next step) or OnFalse (a later step number; null = leave the journey).
/// send: Channels (fallback order) and Content, as a campaign's. add_tag / remove_tag: TagId (a manual tag).
/// grant_points: Points. grant_coupon: CouponTemplateId.
/// </summary>
public sealed record JourneyStep(
    string Type,
    int? Days = null,
    string? Until = null,
    JourneyCondition? Condition = null,
    int? OnTrue = null,
    int? OnFalse = null,
    IReadOnlyList<string>? Channels = null,
    CampaignContent? Content = null,
    long? TagId = null,
    long? Points = null,
    long? CouponTemplateId = null);

/// <summary>Type: bought_since_entry, has_tag (TagId).</summary>
public sealed record JourneyCondition(string Type, long? TagId = null);

public static class TriggerTypes
{
    public const string Followed = "followed";
    public const string MemberBound = "member_bound";
    public const string FirstOrderPaid = "first_order_paid";
    public const string OrderPaid = "order_paid";
    public const string NoPurchase = "no_purchase";
    public const string PointsExpiring = "points_expiring";
    public const string CouponExpiring = "coupon_expiring";
    public const string TagAdded = "tag_added";

    public static readonly string[] All = [Followed, MemberBound, FirstOrderPaid, OrderPaid, NoPurchase, PointsExpiring, CouponExpiring, TagAdded];

    /// <summary>Triggers on a member's state rather than an event: each read takes everyone in that state.</summary>
    public static bool IsState(string type) => type is NoPurchase or PointsExpiring or CouponExpiring;
}

public static class StepTypes
{
    public const string Wait = "wait";
    public const string Branch = "branch";
    public const string Send = "send";
    public const string AddTag = "add_tag";
    public const string RemoveTag = "remove_tag";
    public const string GrantPoints = "grant_points";
    public const string GrantCoupon = "grant_coupon";

    public static readonly string[] All = [Wait, Branch, Send, AddTag, RemoveTag, GrantPoints, GrantCoupon];
}

public static class ConditionTypes
{
    public const string BoughtSinceEntry = "bought_since_entry";
    public const string HasTag = "has_tag";
}

public static class GoalTypes
{
    public const string Bought = "bought";
}
