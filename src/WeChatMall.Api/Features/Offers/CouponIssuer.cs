using System.Data.Common;
using System.Text.Json;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using MySqlConnector;
using WeChatMall.Api.Infrastructure.Database;
using WeChatMall.Api.Infrastructure.Http;

namespace WeChatMall.Api.Features.Offers;

public abstract record IssueResult
{
    public sealed record Issued(long MemberCouponId) : IssueResult;
    public sealed record Refused(ProblemHttpResult Problem, string Code) : IssueResult;
}

/// <summary>
/// The one way a coupon is issued (coupon centre, redeem code, operator grants, new-member and paid-order gifts, sign-in,
/// points mall, draws, journeys), inside the caller's transaction. Race-free by construction: the template's stock is
/// taken first by a conditional UPDATE (issued &lt; total_stock), which also holds the template row until commit, so the
/// per-member count that follows is read under that lock (a locking read, newest data) and the unique key
/// (template, member, seq) backs it up.
/// </summary>
public sealed class CouponIssuer(MySqlDataSource db, TimeProvider clock)
{
    const string TakeStockSql = """
        UPDATE coupon_templates SET issued = issued + 1
        WHERE id = @id AND active AND (total_stock IS NULL OR issued < total_stock)
        """;

    const string SeqSql = "SELECT COALESCE(MAX(seq), 0) FROM member_coupons WHERE template_id = @templateId AND member_id = @memberId FOR UPDATE";

    const string MemberSql = "SELECT id, tier, first_paid_order_no, merged_into FROM members WHERE id = @memberId";

    sealed record MemberRow(long Id, string? Tier, string? FirstPaidOrderNo, long? MergedInto);

    /// <summary>A shopper's claim (or an operator's grant) as its own transaction, retried on a lock conflict.</summary>
    public Task<IssueResult> IssueAsync(long templateId, long memberId, string source, string? sourceRef, CancellationToken ct) =>
        LockConflictRetry.RunAsync(async () =>
        {
            await using var c = await db.OpenConnectionAsync(ct);
            await using var tx = await c.BeginTransactionAsync(ct);
            var result = await IssueAsync(c, tx, templateId, memberId, source, sourceRef, clock.GetUtcNow().UtcDateTime, ct);
            if (result is IssueResult.Issued) await tx.CommitAsync(ct);
            return result;
        }, ct, ex => ex.ErrorCode == MySqlErrorCode.DuplicateKeyEntry);

    /// <summary>Issues one coupon of the template to the member in the caller's transaction; a refusal leaves nothing taken.</summary>
    public static async Task<IssueResult> IssueAsync(DbConnection c, DbTransaction tx, long templateId, long memberId, string source,
        string? sourceRef, DateTime now, CancellationToken ct)
    {
        if (await CouponTemplateStore.FindAsync(c, tx, templateId, ct) is not { } t)
            return Refuse(404, "COUPON_TEMPLATE_NOT_FOUND", "No such coupon");
        if (!t.Active || t.ValidTo is { } end && end <= now)
            return Refuse(409, "COUPON_NOT_ISSUABLE", "This coupon is no longer given out");
        if (await AudienceRefusalAsync(c, tx, t, memberId, ct) is { } refused) return refused;

        if (await c.ExecuteAsync(new CommandDefinition(TakeStockSql, new { id = templateId }, tx, cancellationToken: ct)) == 0)
            return Refuse(409, "COUPON_SOLD_OUT", "All of these coupons have been given out");
        var seq = await c.ExecuteScalarAsync<int>(new CommandDefinition(SeqSql, new { templateId, memberId }, tx, cancellationToken: ct)) + 1;
        if (seq > t.PerMemberLimit)
        {
            // Give the stock back within this transaction: a caller doing more (a sign-in) may still commit.
            await c.ExecuteAsync(new CommandDefinition("UPDATE coupon_templates SET issued = issued - 1 WHERE id = @id",
                new { id = templateId }, tx, cancellationToken: ct));
            return Refuse(409, "COUPON_LIMIT_REACHED", $"You already have {t.PerMemberLimit} of this coupon");
        }
        var from = t.ValidDays is null ? (t.ValidFrom is { } f && f > now ? f : now) : now;
        var to = t.ValidDays is { } days ? now.AddDays(days) : t.ValidTo!.Value;
        var id = await CouponTransitions.InsertAsync(c, tx, new NewMemberCoupon(templateId, memberId, seq, source, sourceRef, from, to), now, ct);
        return new IssueResult.Issued(id);
    }

    static async Task<IssueResult.Refused?> AudienceRefusalAsync(DbConnection c, DbTransaction tx, CouponTemplateRow t, long memberId, CancellationToken ct)
    {
        var m = await c.QuerySingleOrDefaultAsync<MemberRow>(new CommandDefinition(MemberSql, new { memberId }, tx, cancellationToken: ct));
        if (m is null || m.MergedInto is not null) return Refuse(404, "MEMBER_NOT_FOUND", "No such member");
        return t.Audience switch
        {
            "tiers" when m.Tier is null || !(JsonSerializer.Deserialize<string[]>(t.AudienceTiers) ?? []).Contains(m.Tier) =>
                Refuse(403, "COUPON_NOT_FOR_YOU", "This coupon is for members of other tiers"),
            "new_members" when m.FirstPaidOrderNo is not null => Refuse(403, "COUPON_NOT_FOR_YOU", "This coupon is for new members"),
            _ => null,
        };
    }

    static IssueResult.Refused Refuse(int status, string code, string title) => new(Problems.Of(status, code, title), code);
}
