using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using MySqlConnector;
using StackExchange.Redis;
using WeChatMall.Api.Infrastructure.Database;
using WeChatMall.Api.Infrastructure.Http;
using WeChatMall.Api.Infrastructure.RateLimiting;
using WeChatMall.Api.Infrastructure.Redis;

namespace WeChatMall.Api.Features.Members;

public sealed class ClaimCodeRequest
{
    /// <summary>As printed or scanned: case, spaces and dashes do not matter, O/I/L read as 0/1.</summary>
    [Required, StringLength(64, MinimumLength = 1)] public string Code { get; init; } = "";
}

public sealed record CodeClaimedDto(long Points, long Balance, long? ProductId);

/// <summary>
/// POST /api/me/product-codes/claim: the caller's points for a one-time code, once ever. Failed attempts (unknown,
/// someone else's, expired) are counted per member and per client IP in Redis; over the limit every attempt is a 429
/// before any lookup, so guessing 80-bit codes is hopeless. Successful claims and re-claims of one's own code do not count.
/// </summary>
public static class ClaimProductCode
{
    const string FindSql = """
        SELECT c.id, c.claimed_by, b.id AS batch_id, b.name, b.points, b.product_id, b.expires_at, b.disabled_at
        FROM product_codes c JOIN product_code_batches b ON b.id = c.batch_id
        WHERE c.code_hash = @hash
        """;

    const string ClaimSql = "UPDATE product_codes SET claimed_by = @memberId, claimed_at = @now WHERE id = @id AND claimed_by IS NULL";

    public static async Task<Results<Ok<CodeClaimedDto>, ProblemHttpResult>> Handle(
        ClaimCodeRequest request, CurrentMember me, HttpContext http, MySqlDataSource db, IDatabase redis,
        IOptions<MemberOptions> options, TimeProvider time, ILogger<MemberStore> logger, CancellationToken ct)
    {
        var o = options.Value;
        var ip = http.Connection.RemoteIpAddress?.ToString();
        (RedisKey Key, int Limit)[] keys = ip is null
            ? [(RedisKeys.CodeClaimFailuresMember(me.Id), o.CodeClaimFailuresPerWindow)]
            : [(RedisKeys.CodeClaimFailuresMember(me.Id), o.CodeClaimFailuresPerWindow), (RedisKeys.CodeClaimFailuresIp(ip), o.CodeClaimIpFailuresPerWindow)];

        if (await FirstExhaustedAsync(redis, keys, ct) is { } exhausted)
        {
            var seconds = exhausted.RetryAfterSeconds(TimeSpan.FromMinutes(o.CodeClaimWindowMinutes));
            http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            Log.CodeClaimThrottled(logger, me.Id);
            return Problems.TooManyRequests("CODE_CLAIM_RATE_LIMITED", "Too many failed code attempts",
                $"Check the code on the package and try again in {Math.Ceiling(seconds / 60.0)} minute(s).");
        }

        var result = await ClaimWithRetryAsync(db, me.Id, ProductCode.Normalize(request.Code), time.GetUtcNow().UtcDateTime, ct);
        if (result is MemberGone)
            return Problems.Unauthorized("MEMBER_MERGED", "Your account was merged into another one", "Log in again; the code was not used.");
        await CountIfFailedAsync(redis, result, keys, o, ct);
        switch (result)
        {
            case Claimed ok:
                Log.CodeClaimed(logger, me.Id, ok.CodeId, ok.Points);
                return TypedResults.Ok(new CodeClaimedDto(ok.Points, ok.Balance, ok.ProductId));
            case AlreadyYours:
                return Problems.Conflict("CODE_ALREADY_CLAIMED", "You have already claimed this code",
                    "Its points are already in your balance; each code counts once.");
            case ClaimedByOther:
                return Problems.Conflict("CODE_ALREADY_CLAIMED", "This code has already been claimed",
                    "Each code can be claimed once. If you just bought this product, contact the seller.");
            case Expired:
                return Problems.Gone("CODE_EXPIRED", "This code has expired or is no longer valid");
            default:
                return Problems.NotFound("CODE_NOT_FOUND", "No such code", "Check the code on the package and type it again.");
        }
    }

    // Internal: ClaimCodeByMessage (codes sent to the Official Account) claims through the same transaction.
    internal abstract record Outcome;
    internal sealed record NotFound : Outcome;
    internal sealed record Expired : Outcome;
    internal sealed record AlreadyYours : Outcome;
    internal sealed record ClaimedByOther : Outcome;
    internal sealed record Claimed(long CodeId, long Points, long Balance, long? ProductId) : Outcome;
    internal sealed record MemberGone : Outcome;

    // The failed-attempt counters (RedisWindow, like the request limits), shared with ClaimCodeByMessage so the API and
    // the chat count against the same limits.

    /// <summary>The first counter at or over its limit (a missing key reads as 0), or null when every one is under.</summary>
    internal static async Task<WindowCount?> FirstExhaustedAsync(IDatabase redis, (RedisKey Key, int Limit)[] counters, CancellationToken ct,
        TimeSpan? deadline = null)
    {
        foreach (var (key, limit) in counters)
            if (await RedisWindow.PeekAsync(redis, key, ct, deadline) is var count && count.Count >= limit) return count;
        return null;
    }

    /// <summary>Counts the attempt on every counter unless it claimed, re-claimed one's own code or found the member merged away.</summary>
    internal static async Task CountIfFailedAsync(IDatabase redis, Outcome outcome, (RedisKey Key, int Limit)[] counters, MemberOptions o, CancellationToken ct,
        TimeSpan? deadline = null)
    {
        if (outcome is Claimed or AlreadyYours or MemberGone) return;
        var window = TimeSpan.FromMinutes(o.CodeClaimWindowMinutes);
        foreach (var (key, _) in counters)
            await RedisWindow.HitAsync(redis, key, window, ct, deadline);
    }

    // A claim racing a member merge (both lock the member row) may deadlock; the loser is rolled back and tried again.
    internal static async Task<Outcome> ClaimWithRetryAsync(MySqlDataSource db, long memberId, string? code, DateTime now, CancellationToken ct)
    {
        return await LockConflictRetry.RunAsync(() => ClaimAsync(db, memberId, code, now, ct), ct);
    }

    // One transaction: the conditional UPDATE takes the code's row lock, so of concurrent claimers exactly one
    // updates a row and posts the points; the others wait for it and then update nothing.
    static async Task<Outcome> ClaimAsync(MySqlDataSource db, long memberId, string? code, DateTime now, CancellationToken ct)
    {
        if (code is null) return new NotFound();
        var hash = ProductCode.Hash(code);
        await using var c = await db.OpenConnectionAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        var row = await c.QuerySingleOrDefaultAsync<CodeRow>(new CommandDefinition(FindSql, new { hash }, tx, cancellationToken: ct));
        if (row is null) return new NotFound();
        if (row.ClaimedBy is { } holder) return holder == memberId ? new AlreadyYours() : new ClaimedByOther();
        if (row.DisabledAt is not null || row.ExpiresAt <= now) return new Expired();

        if (await c.ExecuteAsync(new CommandDefinition(ClaimSql, new { memberId, now, id = row.Id }, tx, cancellationToken: ct)) == 0)
        {
            var winner = await c.ExecuteScalarAsync<long?>(new CommandDefinition(
                "SELECT claimed_by FROM product_codes WHERE id = @id LOCK IN SHARE MODE", new { id = row.Id }, tx, cancellationToken: ct));
            return winner == memberId ? new AlreadyYours() : new ClaimedByOther();
        }
        var reason = $"Product code: {row.Name}";
        var posted = await PointsLedger.PostAsync(c, tx, memberId, row.Points, reason.Length > 255 ? reason[..255] : reason,
            "code-batch:" + row.BatchId, "code:" + row.Id, now, ct);
        if (posted is PointsMemberNotFound) return new MemberGone(); // merged away meanwhile: the rollback frees the code
        if (posted is not PointsPosted { Entry: var entry })
            throw new InvalidOperationException($"Points for code {row.Id} could not be posted: {posted.GetType().Name}");
        await tx.CommitAsync(ct);
        return new Claimed(row.Id, row.Points, entry.BalanceAfter, row.ProductId);
    }

    sealed record CodeRow
    {
        public long Id { get; init; }
        public long? ClaimedBy { get; init; }
        public long BatchId { get; init; }
        public string Name { get; init; } = "";
        public long Points { get; init; }
        public long? ProductId { get; init; }
        public DateTime? ExpiresAt { get; init; }
        public DateTime? DisabledAt { get; init; }
    }

}

static partial class Log
{
    [LoggerMessage(7022, LogLevel.Information, "Member {MemberId} claimed product code {CodeId} for {Points} points")]
    public static partial void CodeClaimed(ILogger logger, long memberId, long codeId, long points);

    [LoggerMessage(7023, LogLevel.Warning, "Member {MemberId} refused: too many failed product-code attempts")]
    public static partial void CodeClaimThrottled(ILogger logger, long memberId);
}
