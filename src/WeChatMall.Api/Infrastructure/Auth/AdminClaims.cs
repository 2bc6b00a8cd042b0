using System.Globalization;
using System.Security.Claims;

namespace WeChatMall.Api.Infrastructure.Auth;

/// <summary>Who is calling an /admin route, as the "Admin" scheme found out.</summary>
public static class AdminClaims
{
    public const string ActorKind = "wcm:actor-kind";
    public const string SessionId = "wcm:session";
    public const string CsrfToken = "wcm:csrf";

    public const string KindOperator = "operator";
    public const string KindToken = "token";
    public const string KindKey = "key";

    public static ClaimsPrincipal Principal(string kind, string id, string name, string role, params Claim[] extra)
    {
        Claim[] claims =
        [
            new(ActorKind, kind), new(ClaimTypes.NameIdentifier, id), new(ClaimTypes.Name, name), new(ClaimTypes.Role, role),
            .. extra,
        ];
        return new ClaimsPrincipal(new ClaimsIdentity(claims, AdminAuth.Scheme));
    }

    public static string? Kind(this ClaimsPrincipal user) => user.FindFirstValue(ActorKind);

    public static string? AdminRoleOf(this ClaimsPrincipal user) => user.FindFirstValue(ClaimTypes.Role);

    /// <summary>The signed-in operator's id; null for API tokens and the bootstrap key.</summary>
    public static long? OperatorId(this ClaimsPrincipal user) =>
        user.Kind() == KindOperator
        && long.TryParse(user.FindFirstValue(ClaimTypes.NameIdentifier), NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            ? id : null;
}
