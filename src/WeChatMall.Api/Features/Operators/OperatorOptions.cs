using System.ComponentModel.DataAnnotations;

namespace WeChatMall.Api.Features.Operators;

public sealed class OperatorOptions
{
    public const string SectionName = "Operators";

    /// <summary>A session unused this long ends (every request through it starts the wait again).</summary>
    [Range(1, 24 * 60)] public int SessionIdleMinutes { get; set; } = 30;

    /// <summary>A session ends this long after sign-in, however busy it is.</summary>
    [Range(1, 24 * 30)] public int SessionAbsoluteHours { get; set; } = 12;

    /// <summary>Failed sign-ins, per account and per client IP, that lock further attempts for <see cref="LockoutMinutes"/>.</summary>
    [Range(1, 100)] public int MaxFailedSignIns { get; set; } = 5;

    [Range(1, 24 * 60)] public int LockoutMinutes { get; set; } = 15;

    /// <summary>BCrypt cost of new password hashes (2^n rounds); verifying uses the cost stored in each hash.</summary>
    [Range(4, 16)] public int PasswordWorkFactor { get; set; } = 11;

    /// <summary>The longest life an API token may be given.</summary>
    [Range(1, 3650)] public int ApiTokenMaxDays { get; set; } = 365;

    /// <summary>The issuer name authenticator apps show next to the operator's username.</summary>
    [Required, StringLength(64, MinimumLength = 1)] public string TotpIssuer { get; set; } = "WeChatMall";

    public TimeSpan SessionIdle => TimeSpan.FromMinutes(SessionIdleMinutes);
    public TimeSpan SessionAbsolute => TimeSpan.FromHours(SessionAbsoluteHours);
    public TimeSpan Lockout => TimeSpan.FromMinutes(LockoutMinutes);
}
