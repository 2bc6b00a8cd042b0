using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using MySqlConnector;
using WeChatMall.Api.Features.Loyalty;
using WeChatMall.Api.Tests.TestHost;

namespace WeChatMall.Api.Tests.Features.Members;

/// <summary>Calls the real ILoyalty inside a real transaction on the members test database, as Orders/Payments will.</summary>
public static class LoyaltyTestData
{
    public const long FirstOrderBonus = 10;
    public const long ReferralReward = 50;
    public const string InviteBaseUrl = "https://shop.example.test/invite";

    public static ILoyalty Loyalty => MembersEnvironment.Api.Services.GetRequiredService<ILoyalty>();

    public static string NewOrderNo() => "T" + Guid.NewGuid().ToString("N")[..20];

    public static async Task<T> InTransactionAsync<T>(Func<MySqlConnection, MySqlTransaction, Task<T>> work)
    {
        await using var c = new MySqlConnection(TestServers.MySqlFor(MembersEnvironment.Api.Database));
        await c.OpenAsync();
        await using var tx = await c.BeginTransactionAsync();
        var result = await work(c, tx);
        await tx.CommitAsync();
        return result;
    }

    public static Task<OrderPaidOutcome> PayAsync(long memberId, long paidFen, string? orderNo = null, DateTime? paidAt = null) =>
        PayAsync(new PaidOrder(0, orderNo ?? NewOrderNo(), memberId, paidFen, [], paidAt ?? DateTime.UtcNow));

    public static Task<OrderPaidOutcome> PayAsync(PaidOrder order) =>
        InTransactionAsync((c, tx) => Loyalty.OnOrderPaidAsync(c, tx, order, CancellationToken.None));

    public static Task<long> BalanceAsync(long memberId) =>
        MembersEnvironment.Api.ScalarAsync<long>("SELECT points_balance FROM members WHERE id = @memberId", new { memberId });

    public static Task<long> LedgerSumAsync(long memberId) =>
        MembersEnvironment.Api.ScalarAsync<long>("SELECT COALESCE(SUM(delta), 0) FROM points_ledger WHERE member_id = @memberId", new { memberId });

    public static Task<long> LotsSumAsync(long memberId) =>
        MembersEnvironment.Api.ScalarAsync<long>("SELECT COALESCE(SUM(remaining), 0) FROM points_lots WHERE member_id = @memberId", new { memberId });

    public static async Task<HttpResponseMessage> BindReferrerAsync(HttpClient member, string inviteCode) =>
        await member.PostAsJsonAsync("/api/me/referrer", new { inviteCode });
}
