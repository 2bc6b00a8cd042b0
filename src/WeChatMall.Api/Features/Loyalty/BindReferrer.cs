using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http.HttpResults;
using MySqlConnector;
using WeChatMall.Api.Features.Members;
using WeChatMall.Api.Infrastructure.Http;

namespace WeChatMall.Api.Features.Loyalty;

public sealed class BindReferrerRequest
{
    /// <summary>The referrer's invite code (from their invite link).</summary>
    [Required, StringLength(16, MinimumLength = 1)] public string InviteCode { get; init; } = "";
}

public sealed record ReferrerDto(long ReferrerId);

/// <summary>
/// Binds a member to the referrer whose invite code they bring: at login for a new member (POST /api/auth/login with
/// inviteCode), or later with POST /api/me/referrer while the member has no referrer and no paid order yet.
/// </summary>
public sealed class ReferralBinder(MySqlDataSource db, TimeProvider time) : ISignupReferral
{
    async Task<string?> ISignupReferral.BindOnSignupAsync(long memberId, string inviteCode, CancellationToken ct) =>
        await BindReferrerAsync(memberId, inviteCode, ct) is ReferralRefused refused ? refused.Code : null;

    public async Task<ReferralResult> BindReferrerAsync(long memberId, string inviteCode, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        var result = await Referrals.BindAsync(c, tx, memberId, inviteCode.Trim(), time.GetUtcNow().UtcDateTime, ct);
        await tx.CommitAsync(ct);
        return result;
    }

    public static async Task<Results<Ok<ReferrerDto>, ProblemHttpResult>> Handle(
        BindReferrerRequest request, CurrentMember me, ReferralBinder binder, CancellationToken ct) =>
        await binder.BindReferrerAsync(me.Id, request.InviteCode, ct) switch
        {
            ReferrerBound b => TypedResults.Ok(new ReferrerDto(b.ReferrerId)),
            ReferralRefused { Code: "INVITE_CODE_UNKNOWN" or "MEMBER_NOT_FOUND" } r => Problems.NotFound(r.Code, r.Message),
            ReferralRefused { Code: "SELF_REFERRAL" or "REFERRAL_CYCLE" } r => Problems.Unprocessable(r.Code, r.Message),
            ReferralRefused r => Problems.Conflict(r.Code, r.Message),
            _ => throw new InvalidOperationException("unexpected referral result"),
        };
}
