using System.Data.Common;
using Dapper;
using WeChatMall.Api.Features.Members;

namespace WeChatMall.Api.Features.Loyalty;

/// <summary>
/// Placeholder until the loyalty rules land: no tiers, 1 point per yuan paid, 100 points = 1 yuan at checkout (up to
/// half of the order). It honours the whole <see cref="ILoyalty"/> contract so orders can be built against it.
/// </summary>
public sealed class BasicLoyalty : ILoyalty
{
    public PointsRedemptionRule Redemption { get; } = new(PointsPerYuan: 100, MaxPercentOfOrder: 50);

    public Task<MemberBenefits> GetBenefitsAsync(DbConnection c, DbTransaction? tx, long memberId, CancellationToken ct) =>
        Task.FromResult(MemberBenefits.None);

    public Task<PointsPostResult> RedeemAsync(DbConnection c, DbTransaction tx, long memberId, long points, string orderNo, DateTime now, CancellationToken ct) =>
        PointsLedger.PostAsync(c, tx, memberId, -points, "Paid for order", orderNo, $"order-redeem:{orderNo}", now, ct);

    public async Task ReturnRedeemedAsync(DbConnection c, DbTransaction tx, long memberId, long points, string orderNo, DateTime now, CancellationToken ct) =>
        await PointsLedger.PostAsync(c, tx, memberId, points, "Returned from order", orderNo, $"order-redeem-return:{orderNo}", now, ct);

    public async Task<OrderPaidOutcome> OnOrderPaidAsync(DbConnection c, DbTransaction tx, PaidOrder order, CancellationToken ct)
    {
        var points = order.PaidFen / 100;
        if (points > 0)
            await PointsLedger.PostAsync(c, tx, order.MemberId, points, "Earned on order", order.OrderNo, $"order-earn:{order.OrderNo}", order.PaidAt, ct);
        return new OrderPaidOutcome(points, null);
    }

    public async Task OnOrderRefundedAsync(DbConnection c, DbTransaction tx, RefundedOrder refund, CancellationToken ct)
    {
        var earned = refund.PaidFen / 100;
        var reverse = refund.PaidFen == 0 ? 0 : earned * refund.RefundFen / refund.PaidFen;
        var balance = await c.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT points_balance FROM members WHERE id = @id FOR UPDATE", new { id = refund.MemberId }, tx, cancellationToken: ct));
        reverse = Math.Min(reverse, balance); // points already spent cannot be taken back below zero
        if (reverse > 0)
            await PointsLedger.PostAsync(c, tx, refund.MemberId, -reverse, "Reversed by refund", refund.OrderNo,
                $"order-refund-earn:{refund.OutRefundNo}", refund.RefundedAt, ct);
    }
}
