using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.Options;
using MySqlConnector;
using WeChatMall.Api.Features.Campaigns.Credits;
using WeChatMall.Api.Infrastructure.Outbox;
using WeChatMall.WeChat.Api;
using WeChatMall.WeChat.MiniProgram;

namespace WeChatMall.Api.Features.Payments;

/// <param name="MemberId">The payer; absent in rows queued before it was added (the openid's member is used then).</param>
public sealed record PaidMessagePayload(string OrderNo, string OpenId, long PaidFen, DateTime PaidAt, long PointsEarned, long? MemberId = null);

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
            new PaidMessagePayload(order.OrderNo, order.PayerOpenid, order.PayableFen, paidAt, pointsEarned, order.MemberId), ct);
    }
}

/// <summary>
/// Sends <see cref="PaidMessages"/> rows, each spending one of the member's subscribe credits for the template (one
/// accepted one-time subscription is one message; the ledger is Campaigns' <see cref="SubscribeCredits"/>). No credit:
/// not sent, the row ends 'skipped' (no_credit). The data keys must match the template's fields (see
/// docs/orders-and-payments.md, "Paid message").
/// </summary>
public sealed class PaidMessageHandler(MiniProgramClient client, SubscribeCredits credits, MySqlDataSource db, IOptions<PaymentOptions> options,
    ILogger<PaidMessageHandler> logger) : IOutboxHandler
{
    public const string NoCredit = "no_credit";
    public string Kind => PaidMessages.Kind;

    public async Task HandleAsync(string payloadJson, CancellationToken ct)
    {
        var p = JsonSerializer.Deserialize<PaidMessagePayload>(payloadJson, JsonSerializerOptions.Web)
            ?? throw new OutboxPermanentFailure("Empty paid-message payload.");
        var o = options.Value;
        if (string.IsNullOrEmpty(o.PaidTemplateId)) throw new OutboxPermanentFailure("Payments:PaidTemplateId is no longer configured.");
        var memberId = await MemberOfAsync(p, ct) ?? throw new OutboxPermanentFailure("No member holds the payer openid.");
        // The same key on every attempt of this row: however often the outbox tries, the order spends one credit.
        var sendKey = $"{PaidMessages.Kind}:{p.OrderNo}";
        if (!await credits.SpendForSendAsync(memberId, o.PaidTemplateId, sendKey, ct))
        {
            Log.PaidMessageNoCredit(logger, p.OrderNo, memberId);
            throw new OutboxSkipped(NoCredit);
        }
        try
        {
            await client.SendSubscribeMessageAsync(new SubscribeMessage(p.OpenId, o.PaidTemplateId,
                Data(p), o.PaidPage.Replace("{orderNo}", p.OrderNo, StringComparison.Ordinal), o.MiniProgramState), ct);
        }
        // 43101: WeChat holds no accepted subscription for this template (one consent = one message), whatever we counted.
        catch (WeChatApiException ex) when (ex.Errcode == 43101)
        {
            await credits.ZeroAsync(memberId, o.PaidTemplateId, CancellationToken.None);
            Log.PaidMessageNoCredit(logger, p.OrderNo, memberId);
            throw new OutboxSkipped($"{NoCredit} (43101)");
        }
        catch (WeChatApiException ex)
        {
            // Refused, so not delivered: the consent is still there. 40003/40037/47003 (openid, template, field values) stay refused.
            await credits.GiveBackAsync(memberId, o.PaidTemplateId, sendKey, CancellationToken.None);
            if (ex.Errcode is 40003 or 40037 or 47003)
                throw new OutboxPermanentFailure($"WeChat refused the subscribe message: {ex.Errcode} {ex.Errmsg}", ex);
            throw;
        }
        catch (Exception ex) when (!ct.IsCancellationRequested && WeChatCallFailures.IsTimeout(ex))
        {
            // WeChat may have delivered it, and a subscribe message has no idempotency key: no second try, the credit stays spent.
            throw new OutboxPermanentFailure("The subscribe message call timed out; it may have been delivered, not sent again.", ex);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            // Not accepted (5xx, connection refused, an open circuit): the outbox tries again and spends it again.
            Log.PaidMessageCreditGivenBack(logger, p.OrderNo, ex.GetType().Name);
            await credits.GiveBackAsync(memberId, o.PaidTemplateId, sendKey, CancellationToken.None);
            throw;
        }
    }

    static Dictionary<string, string> Data(PaidMessagePayload p)
    {
        var china = new DateTimeOffset(DateTime.SpecifyKind(p.PaidAt, DateTimeKind.Utc)).ToOffset(TimeSpan.FromHours(8));
        return new Dictionary<string, string>
        {
            ["character_string1"] = p.OrderNo,
            ["amount2"] = (p.PaidFen / 100m).ToString("0.00", CultureInfo.InvariantCulture) + "元",
            ["time3"] = china.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
            ["number4"] = p.PointsEarned.ToString(CultureInfo.InvariantCulture),
        };
    }

    // The openid's member now (a merge since the payment moved the openid and its credits), else the payer recorded.
    async Task<long?> MemberOfAsync(PaidMessagePayload p, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        return await c.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT member_id FROM member_identities WHERE kind = 'mp_openid' AND value = @OpenId LIMIT 1", p, cancellationToken: ct)) ?? p.MemberId;
    }
}
