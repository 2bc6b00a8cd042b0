using WeChatMall.Api.Infrastructure.Auth;

namespace WeChatMall.Api.Features.Catalog;

/// <summary>The merchant's catalog management. Every write invalidates the catalog cache on every instance.</summary>
public static class CatalogAdminEndpoints
{
    public static IEndpointRouteBuilder MapCatalogAdmin(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/admin/catalog").WithTags("Catalog admin").RequireAdmin(AdminArea.Catalog);

        g.MapGet("/categories", ManageCategories.List).WithName("AdminListCategories").WithSummary("All categories, flat.");
        g.MapPost("/categories", ManageCategories.Create).WithName("AdminCreateCategory").WithSummary("Create a category (optional parentId); 400 with field errors.");
        g.MapPut("/categories/{id:long}", ManageCategories.Update).WithName("AdminUpdateCategory").WithSummary("Rename, re-sort or move a category (not under itself or a descendant).");
        g.MapDelete("/categories/{id:long}", ManageCategories.Delete).WithName("AdminDeleteCategory").WithSummary("Delete a category; 409 while it has sub-categories or products.");

        g.MapGet("/products", ManageProducts.List).WithName("AdminListProducts").WithSummary("All products, on and off shelf.");
        g.MapPost("/products", ManageProducts.Create).WithName("AdminCreateProduct").WithSummary("Create a product with its SKUs (prices in fen); 400 with field errors.");
        g.MapGet("/products/{id:long}", ManageProducts.Get).WithName("AdminGetProduct").WithSummary("One product with its SKUs, on or off shelf.");
        g.MapPut("/products/{id:long}", ManageProducts.Update).WithName("AdminUpdateProduct").WithSummary("Replace a product's fields (not its SKUs).");
        g.MapDelete("/products/{id:long}", ManageProducts.Delete).WithName("AdminDeleteProduct").WithSummary("Delete a product and its SKUs.");
        g.MapPost("/products/{id:long}/on-shelf", ManageProducts.OnShelf).WithName("AdminPutOnShelf").WithSummary("Put on shelf; 409 when it has no SKU.");
        g.MapPost("/products/{id:long}/off-shelf", ManageProducts.OffShelf).WithName("AdminTakeOffShelf").WithSummary("Take off shelf.");
        g.MapPost("/products/import", ImportProducts.Handle).WithName("AdminImportProducts").WithSummary("CSV or .xlsx import, one row per SKU: all rows valid or nothing written (400 lists every bad row).").Accepts<string>("text/csv", ImportRecords.XlsxContentType);

        g.MapPost("/products/{productId:long}/skus", ManageSkus.Add).WithName("AdminAddSku").WithSummary("Add a SKU to a product; 400 on a duplicate spec.");
        g.MapPut("/skus/{skuId:long}", ManageSkus.Update).WithName("AdminUpdateSku").WithSummary("Change a SKU's spec, prices or code (stock changes go through adjustments).");
        g.MapDelete("/skus/{skuId:long}", ManageSkus.Delete).WithName("AdminDeleteSku").WithSummary("Delete a SKU; a product left without SKUs goes off shelf.");
        g.MapPost("/skus/{skuId:long}/stock-adjustments", ManageSkus.AdjustStock).WithName("AdminAdjustStock").WithSummary("Adjust stock by a delta with a reason; 409 STOCK_NEGATIVE if it would go below zero.");
        g.MapGet("/skus/{skuId:long}/stock-adjustments", ManageSkus.Adjustments).WithName("AdminListStockAdjustments").WithSummary("Stock adjustment history of a SKU, newest first.");
        return app;
    }
}
