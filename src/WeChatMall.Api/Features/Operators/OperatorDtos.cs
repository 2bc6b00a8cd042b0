using System.ComponentModel.DataAnnotations;

namespace WeChatMall.Api.Features.Operators;

public sealed class SignInRequest
{
    [Required, StringLength(64)] public string Username { get; init; } = "";
    [Required, StringLength(200)] public string Password { get; init; } = "";
    /// <summary>The 6-digit code of the authenticator app, once the operator has enrolled one.</summary>
    [StringLength(12)] public string? TotpCode { get; init; }
}

public sealed record OperatorDto(long Id, string Username, string DisplayName, string Role);

public sealed record PermissionDto(string Area, bool Read, bool Write);

/// <summary>The signed-in operator, what the role may do per area, and the token every write must send as X-CSRF-Token.</summary>
public sealed record SessionDto(OperatorDto Operator, IReadOnlyList<PermissionDto> Permissions, string CsrfToken);

public sealed class ChangePasswordRequest
{
    [Required, StringLength(200)] public string CurrentPassword { get; init; } = "";
    [Required, StringLength(200, MinimumLength = 10)] public string NewPassword { get; init; } = "";
}

public sealed record TotpEnrolmentDto(string OtpauthUri, string Secret);

public sealed class TotpConfirmRequest
{
    [Required, StringLength(12)] public string Code { get; init; } = "";
}

public sealed record OperatorDetailsDto(
    long Id, string Username, string DisplayName, string Role, bool Disabled, bool TotpEnabled, DateTime CreatedAt, DateTime UpdatedAt)
{
    public static OperatorDetailsDto From(OperatorRow r) =>
        new(r.Id, r.Username, r.DisplayName, r.Role, r.Disabled, r.TotpSecret is not null, r.CreatedAt, r.UpdatedAt);
}

public sealed class CreateOperatorRequest
{
    /// <summary>Lower-case letters, digits, dot, dash and underscore; 3 to 64 characters.</summary>
    [Required, RegularExpression("^[a-z0-9][a-z0-9._-]{2,63}$")] public string Username { get; init; } = "";
    [Required, StringLength(100, MinimumLength = 1)] public string DisplayName { get; init; } = "";
    [Required, AllowedValues("owner", "manager", "operator", "marketer", "viewer")] public string Role { get; init; } = "";
    [Required, StringLength(200, MinimumLength = 10)] public string Password { get; init; } = "";
}

/// <summary>Only the fields sent change. A role change or disabling ends the operator's sessions.</summary>
public sealed class UpdateOperatorRequest
{
    [AllowedValues("owner", "manager", "operator", "marketer", "viewer", null)] public string? Role { get; init; }
    [StringLength(100, MinimumLength = 1)] public string? DisplayName { get; init; }
    public bool? Disabled { get; init; }
}

public sealed class ResetPasswordRequest
{
    [Required, StringLength(200, MinimumLength = 10)] public string NewPassword { get; init; } = "";
}

public sealed class CreateApiTokenRequest
{
    [Required, StringLength(100, MinimumLength = 1)] public string Name { get; init; } = "";
    [Required, AllowedValues("owner", "manager", "operator", "marketer", "viewer")] public string Role { get; init; } = "";
    /// <summary>Days until the token stops working (at most Operators:ApiTokenMaxDays).</summary>
    [Range(1, 3650)] public int ExpiresInDays { get; init; } = 90;
}

/// <summary>The new token with its secret, which is shown this once and never again.</summary>
public sealed record ApiTokenCreatedDto(ApiTokenDto Details, string Token);
