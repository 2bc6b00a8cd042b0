namespace WeChatMall.Api.Features.Members;

/// <summary>
/// Binds a member that a login has just created to the referrer whose invite code came with the login.
/// Features/Loyalty implements it (ReferralBinder); Members only asks.
/// </summary>
public interface ISignupReferral
{
    /// <summary>Null when the referrer was bound; otherwise why not (INVITE_CODE_UNKNOWN, SELF_REFERRAL, ...).</summary>
    Task<string?> BindOnSignupAsync(long memberId, string inviteCode, CancellationToken ct);
}
