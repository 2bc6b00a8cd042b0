namespace WeChatMall.Api.Features.Members;

/// <summary>
/// Where a finished web OAuth may send the browser: a relative path on this site, or an http(s) URL whose host is in
/// Members:OAuthReturnHosts. Everything else is refused up front, so the callback can never be an open redirect.
/// </summary>
public static class OAuthReturnUrl
{
    public static bool IsAllowed(string? returnUrl, IReadOnlyCollection<string> hosts)
    {
        if (string.IsNullOrWhiteSpace(returnUrl) || returnUrl.Length > 1024 || returnUrl.Contains('#')
            || returnUrl.Any(c => char.IsControl(c) || c is ' ' or '\\'))
            return false;
        // "//evil.com/x" and "/\evil.com" are absolute to a browser; only a single leading slash is a local path.
        if (returnUrl.StartsWith('/')) return !returnUrl.StartsWith("//", StringComparison.Ordinal);
        return Uri.TryCreate(returnUrl, UriKind.Absolute, out var uri)
            && uri.Scheme is "https" or "http"
            && string.IsNullOrEmpty(uri.UserInfo)
            && hosts.Any(h => string.Equals(h, uri.Host, StringComparison.OrdinalIgnoreCase)
                || string.Equals(h, uri.Authority, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>The return URL with <c>oauth=&lt;outcome&gt;</c> added to its query, and an optional fragment.</summary>
    public static string With(string returnUrl, string outcome, string? fragment = null) =>
        returnUrl + (returnUrl.Contains('?') ? '&' : '?') + "oauth=" + outcome + (fragment is null ? "" : "#" + fragment);
}
