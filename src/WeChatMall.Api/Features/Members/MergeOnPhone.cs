using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using MySqlConnector;

namespace WeChatMall.Api.Features.Members;

/// <summary>
/// A phone number verified by WeChat for the caller belongs to another member: the same person, so the two become one
/// (<see cref="MemberMerger"/>, reason "same verified phone", by "auto:phone"). Survivor rule: the older member (lower
/// id) survives, as for a shared UnionID, so the member with the longer history keeps its id. The survivor then holds
/// exactly that number: a merge brings both members' phone identities, and binding replaces a member's old number.
/// </summary>
public static class MergeOnPhone
{
    const string DropOtherPhonesSql = "DELETE FROM member_identities WHERE member_id = @survivorId AND kind = 'phone' AND value <> @phone";

    /// <summary>The 200 answer, or null when the merge could not be done (the caller answers 409 PHONE_IN_USE).</summary>
    public static async Task<Ok<PhoneBoundDto>?> MergeAsync(MySqlDataSource db, MemberMerger merger, MemberSessions sessions,
        long callerId, long holderId, string phone, string masked, DateTime now, ILogger logger, CancellationToken ct)
    {
        var survivor = Math.Min(callerId, holderId);
        if (await merger.MergeAsync(survivor, Math.Max(callerId, holderId), "same verified phone", "auto:phone", ct) is not Merged)
            return null;
        // The number moved with the holder's identities (or was the survivor's already); bind it as a fresh number.
        var (outcome, _) = await BindPhone.BindAsync(db, survivor, phone, now, ct);
        if (outcome == BindPhone.Outcome.InUse) return null;
        await using (var c = await db.OpenConnectionAsync(ct))
            await c.ExecuteAsync(new CommandDefinition(DropOtherPhonesSql, new { survivorId = survivor, phone }, cancellationToken: ct));
        Log.MergedOnPhone(logger, callerId, holderId, survivor);
        var dto = new PhoneBoundDto(masked, Changed: true) { MergedInto = survivor };
        if (survivor == callerId) return TypedResults.Ok(dto);
        var issued = await sessions.IssueAsync(survivor, ct);
        return TypedResults.Ok(dto with { Token = issued.Token, ExpiresAt = issued.ExpiresAt });
    }
}

static partial class Log
{
    [LoggerMessage(7013, LogLevel.Information, "Member {MemberId} verified a phone number member {HolderId} held: merged, {SurvivorId} survives")]
    public static partial void MergedOnPhone(ILogger logger, long memberId, long holderId, long survivorId);
}
