using System.ComponentModel.DataAnnotations;

namespace WeChatMall.Api.Features.Members;

public sealed class MemberOptions
{
    public const string SectionName = "Members";

    /// <summary>Lifetime of a member session from login (fixed, not sliding); the mini-program logs in again after.</summary>
    [Range(1, 24 * 90)] public int SessionHours { get; set; } = 168;

    /// <summary>
    /// How long an instance may remember a session lookup (token → member) instead of asking Redis on every request;
    /// 0 turns the memory off. A logout or merge reaches every instance at once through Redis pub/sub; this is only the
    /// bound for the case no signal covers (an invalidation lost on a connection that has not yet noticed it broke).
    /// </summary>
    [Range(0, 30)] public int SessionCacheSeconds { get; set; } = 2;

    /// <summary>
    /// Hosts (or host:port) that /api/oauth/authorize may send the browser back to after Official Account web OAuth.
    /// Relative return paths are always allowed; any other absolute URL is refused, so the endpoint is no open redirect.
    /// </summary>
    public string[] OAuthReturnHosts { get; set; } = [];

    /// <summary>
    /// Our callback as WeChat must redirect to (its host is the 网页授权域名 set in the OA console). When empty it is
    /// built from the request, which is only right when no proxy rewrites the scheme or host.
    /// </summary>
    [Url] public string? OAuthCallbackUrl { get; set; }

    /// <summary>
    /// On a follow by an openid no member holds, ask WeChat for the follower's UnionID (cgi-bin/user/info, through the
    /// outbox) and join the member who used the mini-program with it. Off for an account not bound to an open platform
    /// (WeChat gives no UnionID there, so each follow would be a wasted call).
    /// </summary>
    public bool LinkFollowersByUnionId { get; set; } = true;

    /// <summary>How long an authorize redirect may take to come back to the callback (its single-use state lives that long).</summary>
    [Range(1, 60)] public int OAuthStateMinutes { get; set; } = 10;

    /// <summary>
    /// Most OAuth states one client IP may start per OAuthStateMinutes window (each is a Redis entry until used or
    /// expired); past it the authorize step answers 429 OAUTH_PENDING_LIMIT. Raise it if many shoppers share one NAT.
    /// </summary>
    [Range(1, 100000)] public int OAuthStatesPerClient { get; set; } = 50;

    /// <summary>
    /// Printed next to each product code in the batch CSV as "{CodeBaseUrl}?c=CODE" (the QR target), e.g. a
    /// mini-program URL link or H5 page. Empty: the CSV has the code only.
    /// </summary>
    [Url] public string? CodeBaseUrl { get; set; }

    /// <summary>Failed code claims allowed per member within one window; more → 429 until the window ends.</summary>
    [Range(1, 10_000)] public int CodeClaimFailuresPerWindow { get; set; } = 10;

    /// <summary>
    /// Failed code claims allowed per client IP within one window: a looser second line behind the member limit (many
    /// shoppers share a carrier NAT or office network), there to slow one client cycling through fresh accounts.
    /// </summary>
    [Range(1, 100_000)] public int CodeClaimIpFailuresPerWindow { get; set; } = 100;

    /// <summary>Length of the failed-claim window, counted from the first failure.</summary>
    [Range(1, 24 * 60)] public int CodeClaimWindowMinutes { get; set; } = 10;

    /// <summary>
    /// When a member binds a phone number (verified by WeChat's getPhoneNumber) held by a prospect (a member with no
    /// WeChat identity, e.g. imported with just a phone), the caller absorbs the prospect; false: 409 PHONE_IN_USE then
    /// too. A number held by a member with a WeChat identity is never merged automatically, whatever this says.
    /// </summary>
    public bool MergeOnVerifiedPhone { get; set; } = true;

    /// <summary>
    /// Sent to an Official Account follower who messages a product code before their openid is bound to a member:
    /// a page that starts web OAuth (/api/oauth/authorize), e.g. https://shop.example.com/bind. Empty: a generic hint.
    /// </summary>
    [Url] public string? CodeMessageBindUrl { get; set; }
}
