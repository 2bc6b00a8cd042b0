using System.Text;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using MySqlConnector;
using WeChatMall.Api.Features.Members;
using WeChatMall.Api.Features.Orders;
using WeChatMall.Api.Infrastructure.Http;
using WeChatMall.WeChat.Pay;

namespace WeChatMall.Api.Features.Payments;

/// <summary>
/// POST /api/orders/{orderNo}/pay: a JSAPI prepay for the member's own pending order, paid by their mini-program
/// openid, expiring when our order expires; answers the signed wx.requestPayment parameters. A prepay_id younger
/// than its 2-hour life is reused; otherwise WeChat Pay is asked again with the same out_trade_no and values,
/// which it answers idempotently.
/// </summary>
public static class PayOrder
{
    static readonly TimeSpan PrepayLife = TimeSpan.FromMinutes(110); // prepay_id lives 2 h; keep a margin

    const string FindSql = $"SELECT {PayOrderRow.Columns} FROM orders WHERE order_no = @orderNo AND member_id = @memberId";

    const string OpenIdSql = """
        SELECT value FROM member_identities WHERE member_id = @memberId AND kind = 'mp_openid' ORDER BY id LIMIT 1
        """;

    public static async Task<Results<Ok<RequestPayment>, ProblemHttpResult>> Handle(
        string orderNo, CurrentMember me, PayGate gate, IServiceProvider services, MySqlDataSource db, TimeProvider time, CancellationToken ct)
    {
        if (!gate.IsConfigured) return PayGate.NotConfigured();
        await using var c = await db.OpenConnectionAsync(ct);
        var order = await c.QuerySingleOrDefaultAsync<PayOrderRow>(new CommandDefinition(FindSql, new { orderNo, memberId = me.Id }, cancellationToken: ct));
        if (order is null)
            return Problems.NotFound("ORDER_NOT_FOUND", "No such order.");
        var now = time.GetUtcNow().UtcDateTime;
        if (order.Status != OrderStatus.PendingPayment)
            return Problems.Conflict("ORDER_NOT_PAYABLE", $"The order is {order.Status}; only a pending order can be paid.");
        if (order.ExpiresAt <= now)
            return Problems.Conflict("ORDER_EXPIRED", "The order's payment time is over.");

        var client = services.GetRequiredService<WeChatPayClient>();
        if (order is { PrepayId: { } reuse, PrepayAt: { } at } && now - at < PrepayLife)
            return TypedResults.Ok(client.BuildRequestPayment(reuse));

        // The payer must be the one the first prepay named (WeChat Pay binds the order to it).
        var openId = order.PayerOpenid ?? await c.ExecuteScalarAsync<string?>(new CommandDefinition(OpenIdSql, new { memberId = me.Id }, cancellationToken: ct));
        if (openId is null)
            return Problems.Conflict("MINIPROGRAM_LOGIN_REQUIRED", "Pay from the mini-program: this member has no mini-program identity yet.");

        var description = await DescriptionAsync(c, order, ct);
        await c.CloseAsync(); // back to the pool while WeChat Pay answers (up to its timeout)

        string prepayId;
        try
        {
            prepayId = await client.JsapiPrepayAsync(new JsapiPrepayRequest(order.OrderNo, description, order.PayableFen, openId,
                new DateTimeOffset(DateTime.SpecifyKind(order.ExpiresAt, DateTimeKind.Utc))), ct);
        }
        catch (WeChatPayException ex) when (ex.IsOrderPaid)
        {
            return Problems.Conflict("ORDER_ALREADY_PAID", "WeChat Pay says this order is paid already; it will show as paid shortly.");
        }
        catch (WeChatPayException ex) when (ex.IsOrderClosed || ex.IsOutTradeNoUsed)
        {
            return Problems.Conflict("ORDER_NOT_PAYABLE", "WeChat Pay has closed this order.");
        }
        catch (WeChatPayException ex) when (ex.IsTransient)
        {
            return Problems.Unavailable("PAY_UNAVAILABLE", "WeChat Pay did not answer; try again in a moment.");
        }
        await c.OpenAsync(ct);
        await OrderStore.SetPrepayAsync(c, null, order.Id, prepayId, openId, now, ct);
        return TypedResults.Ok(client.BuildRequestPayment(prepayId));
    }

    // WeChat Pay's description: 1–127 characters, no emoji (the shopper sees it in the bill).
    static async Task<string> DescriptionAsync(MySqlConnection c, PayOrderRow order, CancellationToken ct)
    {
        var titles = (await c.QueryAsync<string>(new CommandDefinition(
            "SELECT title FROM order_lines WHERE order_id = @id ORDER BY id", new { id = order.Id }, cancellationToken: ct))).AsList();
        var first = new StringBuilder();
        foreach (var ch in titles.FirstOrDefault() ?? "")
            if (!char.IsSurrogate(ch) && !char.IsControl(ch) && ch is not ('\u200d' or '\ufe0f')) first.Append(ch);
        var text = first.ToString().Trim();
        if (text.Length == 0) text = "Order " + order.OrderNo;
        if (titles.Count > 1) text += $" 等{titles.Count}件";
        return text.Length <= 127 ? text : text[..127];
    }
}
