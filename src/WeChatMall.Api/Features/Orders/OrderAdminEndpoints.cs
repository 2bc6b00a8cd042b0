using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using MySqlConnector;
using WeChatMall.Api.Infrastructure.Auth;
using WeChatMall.Api.Infrastructure.Http;

namespace WeChatMall.Api.Features.Orders;

public sealed record ShipOrderRequest(string? Carrier, string? TrackingNo);

/// <summary>Operator routes: search, detail, CSV/xlsx export, a member's orders and marking an order shipped.</summary>
public static class OrderAdminEndpoints
{
    public static IEndpointRouteBuilder MapOrderAdmin(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/admin").WithTags("Orders (admin)").RequireAdmin(AdminArea.Orders);
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
        => await orders.DetailAsync(null, orderNo, ct) is { } o ? TypedResults.Ok(o) : OrderEndpoints.OrderNotFound();

    static async Task<Results<Ok<OrderDetailDto>, ValidationProblem, ProblemHttpResult>> ShipOrder(string orderNo, ShipOrderRequest request,
        OrderQueries orders, OrderLifecycle lifecycle, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(request.Carrier) || request.Carrier.Length > 64) errors["carrier"] = ["carrier is 1 to 64 characters (WeChat's delivery company id, e.g. SF, ZTO, YTO)."];
        if (string.IsNullOrWhiteSpace(request.TrackingNo) || request.TrackingNo.Length > 64) errors["trackingNo"] = ["trackingNo is 1 to 64 characters."];
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);
        if (await orders.FindAsync(null, orderNo, ct) is not { } o) return OrderEndpoints.OrderNotFound();
        if (!await lifecycle.ShipAsync(o.Id, orderNo, request.Carrier!.Trim(), request.TrackingNo!.Trim(), ct))
            return Problems.Conflict("ORDER_NOT_SHIPPABLE", "Only a paid order not refunded in full can be shipped",
                (await orders.FindAsync(null, orderNo, ct)) is { } now ? $"Order {orderNo} is {now.Status}, refund state {now.RefundState}." : $"Order {orderNo}.");
        return TypedResults.Ok((await orders.DetailAsync(null, orderNo, ct))!);
    }

    /// <summary>CSV (default) or xlsx (<c>format=xlsx</c>), times UTC; at most Orders:ExportMaxRows rows, oldest first.</summary>
    static Results<PushStreamHttpResult, ValidationProblem> ExportOrders(string? status, long? memberId, DateTime? from, DateTime? to,
        string? format, MySqlDataSource db, IOptions<OrderOptions> options, TimeProvider time, HttpContext http)
    {
        var errors = OrderEndpoints.ValidatePaging(status, null, null);
        if (from is { } f && to is { } t && f >= t) errors["to"] = ["to must be after from."];
        if (format is not (null or "csv" or "xlsx")) errors["format"] = ["format is csv (the default) or xlsx."];
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);
        var filter = new OrderExport.Filter(status, memberId, Utc(from), Utc(to), options.Value.ExportMaxRows);
        var ct = http.RequestAborted;
        var name = $"orders-{time.GetUtcNow():yyyyMMddHHmmss}";
        return format == "xlsx"
            ? TypedResults.Stream(body => OrderExport.WriteXlsxAsync(db, filter, body, ct), OrderExport.XlsxContentType, name + ".xlsx")
            : TypedResults.Stream(body => OrderExport.WriteCsvAsync(db, filter, body, ct), OrderExport.CsvContentType, name + ".csv");
    }

    static DateTime? Utc(DateTime? t) => t?.Kind == DateTimeKind.Local ? t.Value.ToUniversalTime() : t;
}
