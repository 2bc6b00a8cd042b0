using System.Text.Json;
using Dapper;
using MySqlConnector;
using WeChatMall.Api.Infrastructure.Outbox;
using WeChatMall.WeChat.MiniProgram;

namespace WeChatMall.Api.Features.Orders;

/// <summary>
/// Outbox kind "wechat.upload_shipping" {orderNo}: uploads the shipment of a paid order to WeChat (发货信息录入,
/// wxa/sec/order/upload_shipping_info), which mini-program payments need before funds are settled. The order is named
/// by its WeChat Pay transaction_id, or by WeChatPay:MchId + order_no when the transaction id is not known.
/// </summary>
public sealed class UploadShippingHandler(MySqlDataSource db, MiniProgramClient miniProgram, IConfiguration configuration,
    TimeProvider clock) : IOutboxHandler
{
    public string Kind => OrderLifecycle.UploadShippingKind;

    sealed record ShipRow(string OrderNo, string? TransactionId, string? PayerOpenid, string? Carrier, string? TrackingNo, string? Address);

    const string OrderSql = """
        SELECT order_no, transaction_id, payer_openid, carrier, tracking_no, address FROM orders WHERE order_no = @orderNo
        """;

    const string TitlesSql = """
        SELECT l.title, l.quantity FROM order_lines l JOIN orders o ON o.id = l.order_id WHERE o.order_no = @orderNo ORDER BY l.id
        """;

    public async Task HandleAsync(string payloadJson, CancellationToken ct)
    {
        var orderNo = JsonDocument.Parse(payloadJson).RootElement.GetProperty("orderNo").GetString()
            ?? throw new OutboxPermanentFailure("payload has no orderNo");
        await using var c = await db.OpenConnectionAsync(ct);
        var o = await c.QuerySingleOrDefaultAsync<ShipRow>(new CommandDefinition(OrderSql, new { orderNo }, cancellationToken: ct))
            ?? throw new OutboxPermanentFailure($"order {orderNo} does not exist");
        if (o.PayerOpenid is null) throw new OutboxPermanentFailure($"order {orderNo} has no payer openid (not paid through the mini-program)");
        var mchId = configuration["WeChatPay:MchId"];
        var key = o.TransactionId is not null ? ShippingOrderKey.ByTransactionId(o.TransactionId)
            : !string.IsNullOrEmpty(mchId) ? ShippingOrderKey.ByOutTradeNo(mchId, o.OrderNo)
            : throw new OutboxPermanentFailure($"order {orderNo} has no transaction_id and WeChatPay:MchId is not set");

        var titles = await c.QueryAsync<(string Title, int Quantity)>(new CommandDefinition(TitlesSql, new { orderNo }, cancellationToken: ct));
        var desc = string.Join("; ", titles.Select(t => t.Quantity > 1 ? $"{t.Title} x{t.Quantity}" : t.Title));
        if (desc.Length > 120) desc = desc[..120];
        var package = new ShippingPackage(desc, o.TrackingNo, o.Carrier, ReceiverContact: MaskedPhone(o.Address));
        await miniProgram.UploadShippingInfoAsync(new ShippingInfo(key, LogisticsType.Express, DeliveryMode.Unified, [package],
            clock.GetUtcNow().ToOffset(TimeSpan.FromHours(8)), o.PayerOpenid), ct);
    }

    /// <summary>The receiver's phone as WeChat wants it for SF Express: "189****1234".</summary>
    static string? MaskedPhone(string? addressJson)
    {
        if (addressJson is null) return null;
        var phone = JsonDocument.Parse(addressJson).RootElement.TryGetProperty("phone", out var p) ? p.GetString() : null;
        if (phone is null) return null;
        var digits = new string([.. phone.Where(char.IsAsciiDigit)]);
        return digits.Length >= 7 ? $"{digits[..3]}****{digits[^4..]}" : null;
    }
}
