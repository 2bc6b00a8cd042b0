using System.Data.Common;
using Dapper;

namespace WeChatMall.Api.Features.Offers;

/// <summary>A member's lucky-draw chances (draw_chances), earned by sign-in, paid orders or operator grants; spent one per draw.</summary>
public static class DrawChances
{
    public static Task AddAsync(DbConnection c, DbTransaction tx, long memberId, int chances, CancellationToken ct) =>
        c.ExecuteAsync(new CommandDefinition("""
            INSERT INTO draw_chances (member_id, chances) VALUES (@memberId, @chances)
            ON DUPLICATE KEY UPDATE chances = chances + VALUES(chances)
            """, new { memberId, chances }, tx, cancellationToken: ct));

    /// <summary>Takes one chance if the member has one: a conditional UPDATE, so concurrent draws never spend one twice.</summary>
    public static async Task<bool> TakeAsync(DbConnection c, DbTransaction tx, long memberId, CancellationToken ct) =>
        await c.ExecuteAsync(new CommandDefinition(
            "UPDATE draw_chances SET chances = chances - 1 WHERE member_id = @memberId AND chances > 0",
            new { memberId }, tx, cancellationToken: ct)) == 1;

    public static async Task<int> OfAsync(DbConnection c, long memberId, CancellationToken ct) =>
        await c.ExecuteScalarAsync<int?>(new CommandDefinition("SELECT chances FROM draw_chances WHERE member_id = @memberId",
            new { memberId }, cancellationToken: ct)) ?? 0;

    /// <summary>A member merge: the merged member's chances join the survivor's.</summary>
    public static async Task MergeAsync(DbConnection c, DbTransaction tx, long survivorId, long mergedId, CancellationToken ct)
    {
        var chances = await c.ExecuteScalarAsync<int?>(new CommandDefinition(
            "SELECT chances FROM draw_chances WHERE member_id = @mergedId FOR UPDATE", new { mergedId }, tx, cancellationToken: ct)) ?? 0;
        if (chances == 0) return;
        await AddAsync(c, tx, survivorId, chances, ct);
        await c.ExecuteAsync(new CommandDefinition("DELETE FROM draw_chances WHERE member_id = @mergedId", new { mergedId }, tx, cancellationToken: ct));
    }
}
