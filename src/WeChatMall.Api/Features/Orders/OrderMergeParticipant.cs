using Dapper;
using Microsoft.Extensions.Options;
using WeChatMall.Api.Features.Members;

namespace WeChatMall.Api.Features.Orders;

/// <summary>A member merge moves the merged member's orders, addresses and cart to the survivor (tables Orders owns).</summary>
public sealed class OrderMergeParticipant(IOptions<OrderOptions> options) : IMemberMergeParticipant
{
    static readonly (string Name, string Sql)[] Moves =
    [
        // The survivor keeps its default address; the moved ones join as non-default (one is promoted if it had none).
        ("member_addresses", "UPDATE member_addresses SET member_id = @survivorId, is_default = FALSE WHERE member_id = @mergedId"),
        ("member_addresses_default", """
            UPDATE member_addresses SET is_default = TRUE WHERE member_id = @survivorId
              AND NOT EXISTS (SELECT 1 FROM (SELECT id FROM member_addresses WHERE member_id = @survivorId AND is_default) d)
            ORDER BY id LIMIT 1
            """),
        // Cart lines: the same SKU in both carts becomes one line with the quantities added, capped at Orders:MaxQuantity.
        ("cart_items", """
            INSERT INTO cart_items (member_id, sku_id, quantity, created_at, updated_at)
            SELECT @survivorId, m.sku_id, LEAST(m.quantity, @maxQuantity), m.created_at, m.updated_at
            FROM (SELECT sku_id, quantity, created_at, updated_at FROM cart_items WHERE member_id = @mergedId) m
            ON DUPLICATE KEY UPDATE quantity = LEAST(cart_items.quantity + VALUES(quantity), @maxQuantity)
            """),
        ("cart_items_removed", "DELETE FROM cart_items WHERE member_id = @mergedId"),
    ];

    public async Task MoveAsync(MemberMergeStep step, CancellationToken ct)
    {
        var (c, tx) = (step.Connection, step.Transaction);
        step.Moved["orders"] = await OrderStore.MoveToMemberAsync(c, tx, step.MergedId, step.SurvivorId, ct);
        var args = new { survivorId = step.SurvivorId, mergedId = step.MergedId, maxQuantity = options.Value.MaxQuantity };
        foreach (var (name, sql) in Moves)
            step.Moved[name] = await c.ExecuteAsync(new CommandDefinition(sql, args, tx, cancellationToken: ct));
    }
}
