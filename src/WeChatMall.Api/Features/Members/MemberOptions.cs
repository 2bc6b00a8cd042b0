using System.ComponentModel.DataAnnotations;

namespace WeChatMall.Api.Features.Members;

public sealed class MemberOptions
{
    public const string SectionName = "Members";

    /// <summary>Lifetime of a member session from login (fixed, not sliding); the mini-program logs in again after.</summary>
    [Range(1, 24 * 90)] public int SessionHours { get; set; } = 168;

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

    /// <summary>How long an authorize redirect may take to come back to the callback (its single-use state lives that long).</summary>
    [Range(1, 60)] public int OAuthStateMinutes { get; set; } = 10;
}
