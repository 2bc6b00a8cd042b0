namespace WeChatMall.Api.Infrastructure.Auth;

/// <summary>The roles an operator or an API token has; what each may do is <see cref="AdminPermissions"/>.</summary>
public static class AdminRole
{
    public const string Owner = "owner";
    public const string Manager = "manager";
    public const string Operator = "operator";
    public const string Marketer = "marketer";
    public const string Viewer = "viewer";

    public static readonly IReadOnlyList<string> All = [Owner, Manager, Operator, Marketer, Viewer];

    public static bool IsKnown(string? role) => role is not null && All.Contains(role);
}
