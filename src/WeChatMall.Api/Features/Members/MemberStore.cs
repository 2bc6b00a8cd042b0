using System.Data.Common;
using System.Security.Cryptography;
using Dapper;
using MySqlConnector;
using WeChatMall.Api.Infrastructure.Activity;
using WeChatMall.Api.Infrastructure.Database;

namespace WeChatMall.Api.Features.Members;

public sealed record MemberLogin(long MemberId, bool Created, long? UnionIdHeldBy);

/// <summary>Creating members and attaching identities to them.</summary>
public sealed class MemberStore(MySqlDataSource db, IMemberActivity activity)
{
    const string InviteAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";   // Crockford base32: no I, L, O, U

    const string FindSql = """
        SELECT kind, member_id FROM member_identities
        WHERE (kind = @kind AND value = @openId) OR (kind = 'unionid' AND value = @unionId)
        """;

    const string InsertMemberSql = """
        INSERT INTO members (invite_code, created_at, updated_at) VALUES (@inviteCode, @now, @now);
        SELECT LAST_INSERT_ID();
        """;

    const string InsertIdentitySql = """
        INSERT INTO member_identities (member_id, kind, value, created_at) VALUES (@memberId, @kind, @value, @now)
        """;

    /// <summary>
    /// The member of a mini-program openid, else of its UnionID, else a new one; the missing identities are attached.
    /// Two first logins at once both try to insert the same (kind, value): the loser's transaction fails on the unique
    /// key, rolls back (its member row with it) and retries, then finds the winner's member.
    /// </summary>
    public Task<MemberLogin> FindOrCreateByMiniProgramAsync(string openId, string? unionId, DateTime now, CancellationToken ct) =>
        FindOrCreateAsync(IdentityKind.MiniProgramOpenId, openId, unionId, now, ct);

    /// <summary>The same for an Official Account openid from web OAuth: a UnionID seen in the mini-program joins that member.</summary>
    public Task<MemberLogin> FindOrCreateByOfficialAccountAsync(string openId, string? unionId, DateTime now, CancellationToken ct) =>
        FindOrCreateAsync(IdentityKind.OfficialAccountOpenId, openId, unionId, now, ct);

    /// <summary>
    /// A follower's Official Account openid and the UnionID WeChat gave for it (cgi-bin/user/info): joins the member
    /// that already holds either, as web OAuth does. Null when neither is known: a follower alone is not a member.
    /// </summary>
    public Task<MemberLogin?> LinkOfficialAccountAsync(string openId, string unionId, DateTime now, CancellationToken ct) =>
        LockConflictRetry.RunAsync(() => TryFindOrCreateAsync(IdentityKind.OfficialAccountOpenId, openId, unionId, now, ct, create: false), ct,
            ex => ex.ErrorCode == MySqlErrorCode.DuplicateKeyEntry);

    async Task<MemberLogin> FindOrCreateAsync(string kind, string openId, string? unionId, DateTime now, CancellationToken ct)
    {
        // A concurrent first login of the same identity loses on the unique key and starts over: it then finds the row.
        return (await LockConflictRetry.RunAsync(() => TryFindOrCreateAsync(kind, openId, unionId, now, ct), ct,
            ex => ex.ErrorCode == MySqlErrorCode.DuplicateKeyEntry))!;
    }

    async Task<MemberLogin?> TryFindOrCreateAsync(string kind, string openId, string? unionId, DateTime now, CancellationToken ct, bool create = true)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        var found = (await c.QueryAsync<(string Kind, long MemberId)>(new CommandDefinition(FindSql, new { kind, openId, unionId }, tx, cancellationToken: ct))).ToList();
        long? byOpenId = found.Where(f => f.Kind == kind).Select(f => (long?)f.MemberId).FirstOrDefault();
        long? byUnionId = found.Where(f => f.Kind == IdentityKind.UnionId).Select(f => (long?)f.MemberId).FirstOrDefault();

        var created = false;
        long memberId;
        if (byOpenId is null && byUnionId is null && !create) return null;
        if (byOpenId is { } existing) memberId = existing;
        else if (byUnionId is { } sameperson)
        {
            memberId = sameperson;
            await AttachAsync(c, tx, memberId, kind, openId, now, ct);
        }
        else
        {
            memberId = await c.ExecuteScalarAsync<long>(new CommandDefinition(InsertMemberSql, new { inviteCode = NewInviteCode(), now }, tx, cancellationToken: ct));
            await AttachAsync(c, tx, memberId, kind, openId, now, ct);
            created = true;
        }
        if (unionId is not null && byUnionId is null) await AttachAsync(c, tx, memberId, IdentityKind.UnionId, unionId, now, ct);
        // A new member gets its stats row; an Official Account openid attached brings its follow state and interactions.
        if (created || byOpenId is null) await activity.MembersChangedAsync(c, tx, [memberId], ct);
        await tx.CommitAsync(ct);
        // The UnionID belongs to another member: the same person twice, which the caller resolves with MemberMerger.
        return new MemberLogin(memberId, created, byUnionId is { } other && other != memberId ? other : null);
    }

    const string PhoneHolderSql = "SELECT member_id FROM member_identities WHERE kind = 'phone' AND value = @phone FOR UPDATE";

    /// <summary>
    /// A prospect: a member with just a phone identity and no WeChat identity (a customer known from elsewhere, e.g. a
    /// marketplace), who cannot sign in; the shopper who later verifies that number absorbs it (<see cref="MergeOnPhone"/>).
    /// Returns the new member, or the member already holding the number.
    /// </summary>
    public Task<(long? Created, long? Holder)> CreateProspectAsync(string phone, DateTime now, CancellationToken ct) =>
        // An invite-code collision, or the number bound meanwhile (the next attempt finds its holder), starts over.
        LockConflictRetry.RunAsync(() => TryCreateProspectAsync(phone, now, ct), ct, ex => ex.ErrorCode == MySqlErrorCode.DuplicateKeyEntry);

    async Task<(long? Created, long? Holder)> TryCreateProspectAsync(string phone, DateTime now, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        if (await c.ExecuteScalarAsync<long?>(new CommandDefinition(PhoneHolderSql, new { phone }, tx, cancellationToken: ct)) is { } holder)
            return (null, holder);
        var memberId = await c.ExecuteScalarAsync<long>(new CommandDefinition(InsertMemberSql, new { inviteCode = NewInviteCode(), now }, tx, cancellationToken: ct));
        await AttachAsync(c, tx, memberId, IdentityKind.Phone, phone, now, ct);
        await activity.MembersChangedAsync(c, tx, [memberId], ct);
        await tx.CommitAsync(ct);
        return (memberId, null);
    }

    static Task AttachAsync(DbConnection c, DbTransaction tx, long memberId, string kind, string value, DateTime now, CancellationToken ct) =>
        c.ExecuteAsync(new CommandDefinition(InsertIdentitySql, new { memberId, kind, value, now }, tx, cancellationToken: ct));

    static string NewInviteCode() => new(RandomNumberGenerator.GetItems<char>(InviteAlphabet, 8));

    /// <summary>Posts points in a transaction of its own (admin adjustments); other features call PointsLedger in theirs.</summary>
    public async Task<PointsPostResult> PostPointsAsync(long memberId, long delta, string reason, string? reference,
        string idempotencyKey, DateTime now, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        var result = await PointsLedger.PostAsync(c, tx, memberId, delta, reason, reference, idempotencyKey, now, ct);
        if (result is PointsPosted { Duplicate: false }) await tx.CommitAsync(ct);
        return result;
    }
}
