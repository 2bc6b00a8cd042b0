using Microsoft.AspNetCore.Http.HttpResults;
using WeChatMall.Api.Features.Catalog;
using WeChatMall.Api.Features.Members;
using WeChatMall.Api.Infrastructure.Auth;
using WeChatMall.Api.Infrastructure.Http;

namespace WeChatMall.Api.Features.Audience.Marketplace;

/// <summary>Marketplace customers come home: the merchant imports marketplace orders, shoppers claim theirs (docs/marketplace.md).</summary>
public static class MarketplaceEndpoints
{
    public static IEndpointRouteBuilder MapMarketplace(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/admin/marketplace").WithTags("Marketplace").RequireAdmin(AdminArea.Marketplace);
        admin.MapPost("/imports", ImportMarketplaceOrders.Handle).WithName("AdminImportMarketplaceOrders")
            .WithSummary("Import a Tmall/Taobao, JD or other export (CSV or .xlsx); imported orders are skipped, bad rows reported.")
            .Accepts<string>("text/csv", ImportRecords.XlsxContentType);
        admin.MapGet("/imports", ListImports).WithName("AdminListMarketplaceImports").WithSummary("Past imports, newest first.");
        admin.MapGet("/imports/{id:long}", GetImport).WithName("AdminGetMarketplaceImport");
        admin.MapGet("/orders", ListOrders).WithName("AdminListMarketplaceOrders");

        var me = app.MapGroup("/api/me/marketplace-orders").WithTags("Marketplace").RequireAuthorization(MemberAuth.Policy);
        me.MapGet("/", GetMine).WithName("GetMyMarketplaceOrders");
        me.MapPost("/claim", ClaimMarketplaceOrder.Handle).WithName("ClaimMarketplaceOrder");
        return app;
    }

    static async Task<Results<Ok<MarketplaceImportReport>, ProblemHttpResult>> GetImport(long id, MarketplaceQueries queries, CancellationToken ct) =>
        await queries.ImportAsync(id, ct) is { } report
            ? TypedResults.Ok(report)
            : Problems.NotFound("MARKETPLACE_IMPORT_NOT_FOUND", $"No marketplace import {id}");

    static async Task<Ok<IReadOnlyList<MarketplaceImportSummaryDto>>> ListImports(int? page, int? pageSize, MarketplaceQueries queries,
        CancellationToken ct) =>
        TypedResults.Ok(await queries.ImportsAsync(Math.Max(page ?? 1, 1), Math.Clamp(pageSize ?? 20, 1, 200), ct));

    static async Task<Results<Ok<IReadOnlyList<MarketplaceOrderDto>>, ProblemHttpResult>> ListOrders(
        string? link, long? importId, int? page, int? pageSize, MarketplaceQueries queries, CancellationToken ct)
    {
        if (link is not null && link is not (MarketplaceOrderStore.Matched or MarketplaceOrderStore.Prospect or MarketplaceOrderStore.Unclaimed
            or MarketplaceOrderStore.Claimed))
            return Problems.BadRequest("MARKETPLACE_LINK_UNKNOWN", $"Unknown link '{link}'", "Use matched, prospect, unclaimed or claimed.");
        return TypedResults.Ok(await queries.ListAsync(link, importId, Math.Max(page ?? 1, 1), Math.Clamp(pageSize ?? 50, 1, 500), ct));
    }

    static async Task<Ok<IReadOnlyList<MyMarketplaceOrderDto>>> GetMine(CurrentMember me, MarketplaceQueries queries, CancellationToken ct) =>
        TypedResults.Ok(await queries.MineAsync(me.Id, ct));
}
