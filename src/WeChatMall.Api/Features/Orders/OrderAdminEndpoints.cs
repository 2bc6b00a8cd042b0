using System.Globalization;
using System.Text;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using MySqlConnector;
using WeChatMall.Api.Infrastructure.Auth;

namespace WeChatMall.Api.Features.Orders;

public sealed record ShipOrderRequest(string? Carrier, string? TrackingNo);

/// <summary>Operator routes: search, detail, CSV export, a member's orders and marking an order shipped.</summary>
public static class OrderAdminEndpoints
{
    public static IEndpointRouteBuilder MapOrderAdmin(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/admin").WithTags("Orders (admin)").RequireAuthorization(AdminAuth.Policy);
        g.MapGet("/orders", SearchOrders).WithName(nameof(SearchOrders));
        g.MapGet("/orders/export", ExportOrders).WithName(nameof(ExportOrders));
        g.MapGet("/orders/{orderNo}", GetOrder).WithName("AdminGetOrder");
        g.MapPost("/orders/{orderNo}/ship", ShipOrder).WithName(nameof(ShipOrder));
        g.MapGet("/members/{id:long}/orders", MemberOrders).WithName(nameof(MemberOrders));
        return app;
    }

    static async Task<Results<Ok<OrderPageDto>, ValidationProblem>> SearchOrders(string? status, long? memberId, string? orderNo,
        DateTime? from, DateTime? to, int? page, int? pageSize, OrderQueries orders, CancellationToken ct)
    {
        var errors = OrderEndpoints.ValidatePaging(status, page, pageSize);
        if (from is { } f && to is { } t && f >= t) errors["to"] = ["to must be after from."];
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);
        return TypedResults.Ok(await orders.PageAsync(new OrderFilter(status, memberId, orderNo, Utc(from), Utc(to)), page ?? 1, pageSize ?? 20, ct));
    }

    static async Task<Results<Ok<OrderPageDto>, ValidationProblem>> MemberOrders(long id, string? status, int? page, int? pageSize,
        OrderQueries orders, CancellationToken ct)
    {
        if (OrderEndpoints.ValidatePaging(status, page, pageSize) is { Count: > 0 } errors) return TypedResults.ValidationProblem(errors);
        return TypedResults.Ok(await orders.PageAsync(new OrderFilter(status, id, null, null, null), page ?? 1, pageSize ?? 20, ct));
    }

    static async Task<Results<Ok<OrderDetailDto>, ProblemHttpResult>> GetOrder(string orderNo, OrderQueries orders, CancellationToken ct)
        => await orders.DetailAsync(null, orderNo, ct) is { } o ? TypedResults.Ok(o) : OrderProblems.OrderNotFound();

    static async Task<Results<Ok<OrderDetailDto>, ValidationProblem, ProblemHttpResult>> ShipOrder(string orderNo, ShipOrderRequest request,
        OrderQueries orders, OrderLifecycle lifecycle, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(request.Carrier) || request.Carrier.Length > 64) errors["carrier"] = ["carrier is 1 to 64 characters (WeChat's delivery company id, e.g. SF, ZTO, YTO)."];
        if (string.IsNullOrWhiteSpace(request.TrackingNo) || request.TrackingNo.Length > 64) errors["trackingNo"] = ["trackingNo is 1 to 64 characters."];
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);
        if (await orders.FindAsync(null, orderNo, ct) is not { } o) return OrderProblems.OrderNotFound();
        if (!await lifecycle.ShipAsync(o.Id, orderNo, request.Carrier!.Trim(), request.TrackingNo!.Trim(), ct))
            return OrderProblems.Conflict("ORDER_NOT_SHIPPABLE", "Only a paid order not refunded in full can be shipped",
                (await orders.FindAsync(null, orderNo, ct)) is { } now ? $"Order {orderNo} is {now.Status}, refund state {now.RefundState}." : $"Order {orderNo}.");
        return TypedResults.Ok((await orders.DetailAsync(null, orderNo, ct))!);
    }

    const string ExportSql = """
        SELECT o.order_no, o.member_id, o.status, o.goods_fen, o.discount_fen, o.points_used, o.points_fen, o.shipping_fen,
               o.payable_fen, o.refunded_fen, o.transaction_id, o.carrier, o.tracking_no, o.created_at, o.paid_at, o.shipped_at,
               o.completed_at, o.cancelled_at
        FROM orders o
        WHERE (@status IS NULL OR o.status = @status OR o.refund_state = @status) AND (@memberId IS NULL OR o.member_id = @memberId)
          AND (@from IS NULL OR o.created_at >= @from) AND (@to IS NULL OR o.created_at < @to)
        ORDER BY o.id LIMIT @limit
        """;

    sealed record ExportRow(string OrderNo, long MemberId, string Status, long GoodsFen, long DiscountFen, long PointsUsed,
        long PointsFen, long ShippingFen, long PayableFen, long RefundedFen, string? TransactionId, string? Carrier,
        string? TrackingNo, DateTime CreatedAt, DateTime? PaidAt, DateTime? ShippedAt, DateTime? CompletedAt, DateTime? CancelledAt);

    const string ExportHeader = "order_no,member_id,status,goods_fen,discount_fen,points_used,points_fen,shipping_fen,payable_fen,refunded_fen,transaction_id,carrier,tracking_no,created_at,paid_at,shipped_at,completed_at,cancelled_at";

    /// <summary>CSV (UTF-8, times UTC ISO 8601), streamed row by row; at most Orders:ExportMaxRows rows, oldest first.</summary>
    static Results<PushStreamHttpResult, ValidationProblem> ExportOrders(string? status, long? memberId, DateTime? from, DateTime? to,
        MySqlDataSource db, IOptions<OrderOptions> options, HttpContext http)
    {
        var errors = OrderEndpoints.ValidatePaging(status, null, null);
        if (from is { } f && to is { } t && f >= t) errors["to"] = ["to must be after from."];
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);
        var args = new { status, memberId, from = Utc(from), to = Utc(to), limit = options.Value.ExportMaxRows };
        var ct = http.RequestAborted;
        return TypedResults.Stream(async body =>
        {
            await using var writer = new StreamWriter(body, new UTF8Encoding(false), 16 * 1024);
            await writer.WriteLineAsync(ExportHeader);
            await using var c = await db.OpenConnectionAsync(ct);
            // Unbuffered: rows go to the response as MariaDB sends them, never all in memory at once.
            await foreach (var r in c.QueryUnbufferedAsync<ExportRow>(ExportSql, args).WithCancellation(ct))
            {
                await writer.WriteLineAsync(string.Join(',', Csv(r.OrderNo), Num(r.MemberId), Csv(r.Status), Num(r.GoodsFen),
                    Num(r.DiscountFen), Num(r.PointsUsed), Num(r.PointsFen), Num(r.ShippingFen), Num(r.PayableFen), Num(r.RefundedFen),
                    Csv(r.TransactionId), Csv(r.Carrier), Csv(r.TrackingNo), Time(r.CreatedAt), Time(r.PaidAt), Time(r.ShippedAt),
                    Time(r.CompletedAt), Time(r.CancelledAt)));
            }
        }, "text/csv; charset=utf-8", $"orders-{DateTime.UtcNow:yyyyMMddHHmmss}.csv");
    }

    static DateTime? Utc(DateTime? t) => t?.Kind == DateTimeKind.Local ? t.Value.ToUniversalTime() : t;
    static string Num(long n) => n.ToString(CultureInfo.InvariantCulture);
    static string Time(DateTime? t) => t?.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture) ?? "";

    /// <summary>RFC 4180 quoting; a leading = + - @ is prefixed with ' so a spreadsheet never runs it as a formula.</summary>
    static string Csv(string? v)
    {
        if (string.IsNullOrEmpty(v)) return "";
        if (v[0] is '=' or '+' or '-' or '@') v = "'" + v;
        return v.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + v.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : v;
    }
}
