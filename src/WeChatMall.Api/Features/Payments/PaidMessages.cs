using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Options;
using WeChatMall.Api.Infrastructure.Outbox;
using WeChatMall.WeChat.Api;
using WeChatMall.WeChat.MiniProgram;

namespace WeChatMall.Api.Features.Payments;

public sealed record PaidMessagePayload(string OrderNo, string OpenId, long PaidFen, DateTime PaidAt, long PointsEarned);

/// <summary>
/// The "order paid" mini-program subscribe message: queued in the paid transaction (idempotency key per order, so
/// duplicates queue nothing), sent by the outbox worker. Without Payments:PaidTemplateId nothing is queued.
/// </summary>
public sealed class PaidMessages(OutboxWriter outbox, IOptions<PaymentOptions> options, ILogger<PaidMessages> logger)
{
    public const string Kind = "pay.paid_message";

    public async Task QueueAsync(DbConnection c, DbTransaction tx, PayOrderRow order, DateTime paidAt, long pointsEarned, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(options.Value.PaidTemplateId) || string.IsNullOrEmpty(order.PayerOpenid))
        {
            Log.PaidMessageSkipped(logger, order.OrderNo);
            return;
        }
        await outbox.EnqueueAsync(c, tx, Kind, $"{Kind}:{order.OrderNo}",
            new PaidMessagePayload(order.OrderNo, order.PayerOpenid, order.PayableFen, paidAt, pointsEarned), ct);
    }
}

/// <summary>Sends <see cref="PaidMessages"/> rows. The data keys must match the template's fields (see docs/orders-and-payments.md, "Paid message").</summary>
public sealed class PaidMessageHandler(MiniProgramClient client, IOptions<PaymentOptions> options) : IOutboxHandler
{
    public string Kind => PaidMessages.Kind;

    public async Task HandleAsync(string payloadJson, CancellationToken ct)
    {
        var p = JsonSerializer.Deserialize<PaidMessagePayload>(payloadJson, JsonSerializerOptions.Web)
            ?? throw new OutboxPermanentFailure("Empty paid-message payload.");
        var o = options.Value;
        if (string.IsNullOrEmpty(o.PaidTemplateId)) throw new OutboxPermanentFailure("Payments:PaidTemplateId is no longer configured.");
        var china = new DateTimeOffset(DateTime.SpecifyKind(p.PaidAt, DateTimeKind.Utc)).ToOffset(TimeSpan.FromHours(8));
        var data = new Dictionary<string, string>
        {
            ["character_string1"] = p.OrderNo,
            ["amount2"] = (p.PaidFen / 100m).ToString("0.00", CultureInfo.InvariantCulture) + "元",
            ["time3"] = china.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
            ["number4"] = p.PointsEarned.ToString(CultureInfo.InvariantCulture),
        };
        try
        {
            await client.SendSubscribeMessageAsync(new SubscribeMessage(p.OpenId, o.PaidTemplateId,
                data, o.PaidPage.Replace("{orderNo}", p.OrderNo, StringComparison.Ordinal), o.MiniProgramState), ct);
        }
        // 43101: the shopper did not accept this template (one consent = one message); 40003/40037: bad openid/template.
        catch (WeChatApiException ex) when (ex.Errcode is 43101 or 40003 or 40037)
        {
            throw new OutboxPermanentFailure($"WeChat refused the subscribe message: {ex.Errcode} {ex.Errmsg}", ex);
        }
    }
}
