using System.ComponentModel.DataAnnotations;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using MySqlConnector;
using WeChatMall.Api.Features.Members;
using WeChatMall.Api.Features.Orders;
using WeChatMall.Api.Infrastructure.Auth;
using WeChatMall.Api.Infrastructure.Http;

namespace WeChatMall.Api.Features.Payments;

/// <summary>Lines: the goods that come back (only those quantities return to stock); returnStock without lines = all of them.</summary>
public sealed record AdminRefundRequest(
    [property: Range(1, long.MaxValue)] long AmountFen,
    [property: Required, StringLength(80, MinimumLength = 1)] string Reason,
    bool ReturnStock,
    [property: MaxLength(100)] IReadOnlyList<RefundLineRequest>? Lines = null);

public sealed record RefundRequestBody([property: Required, StringLength(80, MinimumLength = 1)] string Reason);

public sealed record RefundDecision(bool ReturnStock, [property: StringLength(200)] string? Note,
    [property: MaxLength(100)] IReadOnlyList<RefundLineRequest>? Lines = null);

/// <summary>An operator's way out of a stuck refund: who (recorded as admin:&lt;operator&gt;) and why, both in refund_events.</summary>
public sealed record RefundOperatorAction(
    [property: Required, StringLength(48, MinimumLength = 1)] string Operator,
    [property: StringLength(200)] string? Note);

public sealed record RefundDto(string OutRefundNo, long AmountFen, string Status, string Source, string? Reason, bool ReturnStock,
    string? Note, DateTime CreatedAt)
{
    public static RefundDto From(RefundRow r) => new(r.OutRefundNo, r.AmountFen, r.Status, r.Source, r.Reason, r.ReturnStock, r.Note, r.CreatedAt);
}

public sealed record RefundListItemDto(string OrderNo, string OutRefundNo, long AmountFen, string Status, string Source, string? Reason,
    string? WechatStatus, string? Note, DateTime CreatedAt, DateTime UpdatedAt);

/// <summary>Refunds: the admin refunds directly or decides a shopper's request; money moves only through WeChat Pay's refund API.</summary>
public static class RefundEndpoints
{
    public static IEndpointRouteBuilder MapRefunds(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/admin/orders/{orderNo}/refunds").WithTags("Payments admin")
            .RequireAdmin(AdminArea.Refunds);
        admin.MapPost("/", Create).WithName("AdminRefundOrder");
        admin.MapPost("/{outRefundNo}/approve", Approve).WithName("AdminApproveRefund");
        admin.MapPost("/{outRefundNo}/reject", Reject).WithName("AdminRejectRefund");
        admin.MapPost("/{outRefundNo}/retry", Retry).WithName("AdminRetryRefund");
        admin.MapPost("/{outRefundNo}/settle-offline", SettleOffline).WithName("AdminSettleRefundOffline");

        app.MapGet("/admin/refunds", ListRefunds).WithTags("Payments admin").RequireAdmin(AdminArea.Refunds)
            .WithName("AdminListRefunds").WithSummary("Refunds by status, newest first (at most 200); status=stuck lists closed, abnormal and failed ones.");

        app.MapPost("/api/orders/{orderNo}/refund-requests", Request).WithTags("Payments")
            .RequireAuthorization(MemberAuth.Policy).WithName("RequestRefund");
        return app;
    }

    static async Task<Results<Created<RefundDto>, ProblemHttpResult>> Create(string orderNo, AdminRefundRequest body, PayGate gate,
        RefundCreation creation, RefundSettlement settlement, ILogger<RefundSettlement> logger, CancellationToken ct)
    {
        if (!gate.IsConfigured) return PayGate.NotConfigured();
        var result = await creation.CreateAsync(orderNo, body.AmountFen, body.Reason.Trim(), body.ReturnStock, body.Lines, ct);
        return await SubmittedAsync(orderNo, result, settlement, logger, ct);
    }

    static async Task<Results<Created<RefundDto>, ProblemHttpResult>> Approve(string orderNo, string outRefundNo, RefundDecision? body,
        PayGate gate, RefundCreation creation, RefundSettlement settlement, ILogger<RefundSettlement> logger, CancellationToken ct)
    {
        if (!gate.IsConfigured) return PayGate.NotConfigured();
        var result = await creation.DecideAsync(orderNo, outRefundNo, approve: true, body?.ReturnStock ?? false, body?.Lines, body?.Note, ct);
        return await SubmittedAsync(orderNo, result, settlement, logger, ct);
    }

    static async Task<Results<Ok<RefundDto>, ProblemHttpResult>> Reject(string orderNo, string outRefundNo, RefundDecision? body,
        RefundCreation creation, CancellationToken ct)
        => await creation.DecideAsync(orderNo, outRefundNo, approve: false, false, null, body?.Note, ct) switch
        {
            RefundCreated created => TypedResults.Ok(RefundDto.From(created.Refund)),
            RefundRefused r => Problem(r),
            _ => throw new InvalidOperationException(),
        };

    static async Task<Results<Ok<IReadOnlyList<RefundListItemDto>>, ValidationProblem>> ListRefunds(string? status, MySqlDataSource db,
        CancellationToken ct)
    {
        string[] statuses = status == "stuck" ? RefundStatus.NeedsOperator : status is null ? [] : [status];
        if (status is not null && status != "stuck" && !RefundStatus.All.Contains(status))
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["status"] = ["status is a refund status, or stuck."] });
        await using var c = await db.OpenConnectionAsync(ct);
        var rows = await c.QueryAsync<RefundListItemDto>(new CommandDefinition("""
            SELECT o.order_no, r.out_refund_no, r.amount_fen, r.status, r.source, r.reason, r.wechat_status, r.note, r.created_at, r.updated_at
            FROM order_refunds r JOIN orders o ON o.id = r.order_id
            WHERE (@any OR r.status IN @statuses) ORDER BY r.id DESC LIMIT 200
            """, new { any = statuses.Length == 0, statuses = statuses.Length == 0 ? [""] : statuses }, cancellationToken: ct));
        return TypedResults.Ok<IReadOnlyList<RefundListItemDto>>([.. rows]);
    }

    /// <summary>A closed, abnormal or failed refund submitted again under the same out_refund_no.</summary>
    static async Task<Results<Created<RefundDto>, ProblemHttpResult>> Retry(string orderNo, string outRefundNo, RefundOperatorAction body,
        PayGate gate, RefundSettlement settlement, ILogger<RefundSettlement> logger, CancellationToken ct)
    {
        if (!gate.IsConfigured) return PayGate.NotConfigured();
        var result = await settlement.RetryAsync(orderNo, outRefundNo, "admin:" + body.Operator.Trim(), body.Note?.Trim(), ct);
        return await SubmittedAsync(orderNo, result, settlement, logger, ct);
    }

    /// <summary>The money of a closed, abnormal or failed refund was paid back outside WeChat Pay; a note is required.</summary>
    static async Task<Results<Ok<RefundDto>, ValidationProblem, ProblemHttpResult>> SettleOffline(string orderNo, string outRefundNo,
        RefundOperatorAction body, RefundSettlement settlement, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(body.Note))
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["note"] = ["note says how the money went back (1 to 200 characters)."] });
        return await settlement.SettleOfflineAsync(orderNo, outRefundNo, "admin:" + body.Operator.Trim(), body.Note.Trim(), ct) switch
        {
            RefundCreated settled => TypedResults.Ok(RefundDto.From(settled.Refund)),
            RefundRefused r => Problem(r),
            _ => throw new InvalidOperationException(),
        };
    }

    static async Task<Results<Created<RefundDto>, ProblemHttpResult>> Request(string orderNo, RefundRequestBody body, CurrentMember me,
        RefundCreation creation, CancellationToken ct)
        => await creation.RequestAsync(me.Id, orderNo, body.Reason.Trim(), ct) switch
        {
            RefundCreated created => TypedResults.Created($"/api/orders/{orderNo}", RefundDto.From(created.Refund)),
            RefundRefused r => Problem(r),
            _ => throw new InvalidOperationException(),
        };

    // The refund row is committed before WeChat Pay is called: if the call fails or the process dies, reconciliation
    // finds the processing row and submits it again under the same out_refund_no (the same refund, never a second one).
    static async Task<Results<Created<RefundDto>, ProblemHttpResult>> SubmittedAsync(string orderNo, RefundCreateResult result,
        RefundSettlement settlement, ILogger logger, CancellationToken ct)
    {
        if (result is RefundRefused refused) return Problem(refused);
        var refund = ((RefundCreated)result).Refund;
        if (refund.Status == RefundStatus.Processing)
        {
            try
            {
                await settlement.SubmitAsync(refund.OutRefundNo, ct);
            }
            catch (Exception ex) when (ex is WeChat.Pay.WeChatPayException or HttpRequestException or TimeoutException)
            {
                Log.RefundSubmitDeferred(logger, ex, refund.OutRefundNo);
            }
        }
        return TypedResults.Created($"/admin/orders/{orderNo}/refunds/{refund.OutRefundNo}", RefundDto.From(refund));
    }

    // The refusal carries its status (404, 409 or 422: RefundCreation decides).
    static ProblemHttpResult Problem(RefundRefused r) => Problems.Of(r.Status, r.Code, r.Title);
}
