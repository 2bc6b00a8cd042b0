using Microsoft.AspNetCore.Http.HttpResults;
using WeChatMall.Api.Features.Members;
using WeChatMall.Api.Infrastructure.Http;
using WeChatMall.Api.Infrastructure.RateLimiting;

namespace WeChatMall.Api.Features.Orders;

/// <summary>The shopper's orders. Every route is scoped by the session's member: another member's order number is a 404.</summary>
public static class OrderEndpoints
{
    public static IEndpointRouteBuilder MapOrders(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/orders").WithTags("Orders").RequireAuthorization(MemberAuth.Policy);
        g.MapPost("/", PlaceOrder.Handle).WithName("PlaceOrder").RateLimited(RateLimitPolicy.PlaceOrder);
        g.MapPost("/quote", QuoteOrder.Handle).WithName("QuoteOrder");
        g.MapGet("/", ListMyOrders).WithName(nameof(ListMyOrders));
        g.MapGet("/{orderNo}", GetMyOrder).WithName(nameof(GetMyOrder));
        g.MapPost("/{orderNo}/cancel", CancelMyOrder).WithName(nameof(CancelMyOrder));
        g.MapPost("/{orderNo}/confirm-receipt", ConfirmReceipt).WithName(nameof(ConfirmReceipt));
        return app;
    }

    internal static ProblemHttpResult OrderNotFound() => Problems.NotFound("ORDER_NOT_FOUND", "No such order");

    static async Task<Results<Ok<OrderPageDto>, ValidationProblem>> ListMyOrders(
        string? status, int? page, int? pageSize, CurrentMember me, OrderQueries orders, CancellationToken ct)
    {
        if (ValidatePaging(status, page, pageSize) is { Count: > 0 } errors) return TypedResults.ValidationProblem(errors);
        return TypedResults.Ok(await orders.PageAsync(new OrderFilter(status, me.Id, null, null, null), page ?? 1, pageSize ?? 20, ct));
    }

    static async Task<Results<Ok<OrderDetailDto>, ProblemHttpResult>> GetMyOrder(
        string orderNo, CurrentMember me, OrderQueries orders, CancellationToken ct)
        => await orders.DetailAsync(me.Id, orderNo, ct) is { } o ? TypedResults.Ok(o) : OrderNotFound();

    static async Task<Results<Ok<OrderDetailDto>, ProblemHttpResult>> CancelMyOrder(
        string orderNo, CurrentMember me, OrderQueries orders, OrderLifecycle lifecycle, CancellationToken ct)
    {
        if (await orders.FindAsync(me.Id, orderNo, ct) is not { } o) return OrderNotFound();
        if (!await lifecycle.CancelAsync(o.Id, $"member:{me.Id}", "cancelled by shopper", ct))
            return Problems.Conflict("ORDER_NOT_CANCELLABLE", "Only an unpaid order can be cancelled",
                $"Order {orderNo} is {(await orders.FindAsync(me.Id, orderNo, ct))?.Status}.");
        return TypedResults.Ok((await orders.DetailAsync(me.Id, orderNo, ct))!);
    }

    static async Task<Results<Ok<OrderDetailDto>, ProblemHttpResult>> ConfirmReceipt(
        string orderNo, CurrentMember me, OrderQueries orders, OrderLifecycle lifecycle, CancellationToken ct)
    {
        if (await orders.FindAsync(me.Id, orderNo, ct) is not { } o) return OrderNotFound();
        if (!await lifecycle.CompleteAsync(o.Id, $"member:{me.Id}", "receipt confirmed", ct))
            return Problems.Conflict("ORDER_NOT_SHIPPED", "Only a shipped order can be confirmed as received",
                $"Order {orderNo} is {(await orders.FindAsync(me.Id, orderNo, ct))?.Status}.");
        return TypedResults.Ok((await orders.DetailAsync(me.Id, orderNo, ct))!);
    }

    internal static Dictionary<string, string[]> ValidatePaging(string? status, int? page, int? pageSize)
    {
        var errors = new Dictionary<string, string[]>();
        // A refund state (partially_refunded, refunded) is accepted too: "refunded" filtered the same orders before V13.
        if (status is not null && !OrderStatus.All.Contains(status) && status is not (OrderRefundState.PartiallyRefunded or OrderRefundState.Refunded))
            errors["status"] = [$"status is one of {string.Join(", ", OrderStatus.All)}, or a refund state: {OrderRefundState.PartiallyRefunded}, {OrderRefundState.Refunded}."];
        if (page is < 1 or > 10_000) errors["page"] = ["page is 1 to 10000."];
        if (pageSize is < 1 or > 100) errors["pageSize"] = ["pageSize is 1 to 100."];
        return errors;
    }
}
