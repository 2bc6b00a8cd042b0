using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using MySqlConnector;
using WeChatMall.Api.Infrastructure.Http;

namespace WeChatMall.Api.Features.Members;

/// <summary>
/// A phone number WeChat verified for the caller is held by another member. A phone proves less than a WeChat
/// identity (numbers are recycled, shared in families, moved by SIM swaps), so the caller never gets the holder's
/// account: a holder with a WeChat identity of its own stays untouched (409 PHONE_IN_USE, an operator may merge them
/// after checking), and only a prospect holder (no WeChat identity, e.g. a customer imported with just a phone) is
/// absorbed by the caller, who survives with the prospect's history (<see cref="MemberMerger.AbsorbProspectAsync"/>).
/// The caller keeps its own session: no new one is ever issued here.
/// </summary>
public static class MergeOnPhone
{
    const string DropOtherPhonesSql = "DELETE FROM member_identities WHERE member_id = @callerId AND kind = 'phone' AND value <> @phone";

    public static async Task<Results<Ok<PhoneBoundDto>, ProblemHttpResult>> ResolveAsync(MySqlDataSource db, MemberMerger merger,
        MemberOptions options, long callerId, long? holderId, string phone, string masked, DateTime now, ILogger logger, CancellationToken ct)
    {
        // No holder: a concurrent bind won the number and its row is not visible yet; it is someone else's either way.
        if (holderId is not { } holder) return PhoneInUse();
        if (!options.MergeOnVerifiedPhone)
        {
            Log.PhoneHeldByOtherMember(logger, callerId, holder);
            return PhoneInUse();
        }
        switch (await merger.AbsorbProspectAsync(callerId, holder, ct))
        {
            case Merged:
                break;
            case MergeNotProspect:
                Log.PhoneHeldByOtherMember(logger, callerId, holder);
                return PhoneInUse();
            default:
                // The prospect (or the caller) was merged meanwhile, e.g. by another shopper with the same number.
                return PhoneInUse();
        }
        // The number came with the prospect's identities; the caller keeps exactly that number (binding replaces an old one).
        var (outcome, _) = await BindPhone.BindAsync(db, callerId, phone, now, ct);
        if (outcome == BindPhone.Outcome.InUse) return PhoneInUse();
        await using (var c = await db.OpenConnectionAsync(ct))
            await c.ExecuteAsync(new CommandDefinition(DropOtherPhonesSql, new { callerId, phone }, cancellationToken: ct));
        Log.AbsorbedProspectOnPhone(logger, callerId, holder);
        return TypedResults.Ok(new PhoneBoundDto(masked, Changed: true) { AbsorbedMemberId = holder });
    }

    // Said to the shopper in the mini-program, so it says what to do, in Chinese first.
    static ProblemHttpResult PhoneInUse() => Problems.Conflict("PHONE_IN_USE",
        "该手机号已绑定其他会员账号 (This phone number belongs to another member account)",
        "如果这是您本人的号码，请联系商家客服，核实后可为您合并账号。"
            + " If this number is yours, contact the shop's customer service: after checking, they can merge the two accounts.");
}

static partial class Log
{
    [LoggerMessage(7013, LogLevel.Information, "Member {MemberId} verified a phone number held by prospect {ProspectId}: the prospect was absorbed")]
    public static partial void AbsorbedProspectOnPhone(ILogger logger, long memberId, long prospectId);

    [LoggerMessage(7014, LogLevel.Information, "Member {MemberId} verified a phone number held by member {HolderId}: not merged (PHONE_IN_USE), an operator may merge them")]
    public static partial void PhoneHeldByOtherMember(ILogger logger, long memberId, long holderId);
}
