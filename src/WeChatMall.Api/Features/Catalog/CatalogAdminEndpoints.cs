using WeChatMall.Api.Infrastructure.Auth;

namespace WeChatMall.Api.Features.Catalog;

/// <summary>The merchant's catalog management. Every write invalidates the catalog cache on every instance.</summary>
public static class CatalogAdminEndpoints
{
    public static RouteGroupBuilder MapCatalogAdmin(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/admin/catalog").WithTags("Catalog admin").RequireAuthorization(AdminAuth.Policy);

        g.MapGet("/categories", ManageCategories.List).WithName("AdminListCategories");
        g.MapPost("/categories", ManageCategories.Create).WithName("AdminCreateCategory");
        g.MapPut("/categories/{id:long}", ManageCategories.Update).WithName("AdminUpdateCategory");
        g.MapDelete("/categories/{id:long}", ManageCategories.Delete).WithName("AdminDeleteCategory");

        g.MapGet("/products", ManageProducts.List).WithName("AdminListProducts");
        g.MapPost("/products", ManageProducts.Create).WithName("AdminCreateProduct");
        g.MapGet("/products/{id:long}", ManageProducts.Get).WithName("AdminGetProduct");
        g.MapPut("/products/{id:long}", ManageProducts.Update).WithName("AdminUpdateProduct");
        g.MapDelete("/products/{id:long}", ManageProducts.Delete).WithName("AdminDeleteProduct");
        g.MapPost("/products/{id:long}/on-shelf", ManageProducts.OnShelf).WithName("AdminPutOnShelf");
        g.MapPost("/products/{id:long}/off-shelf", ManageProducts.OffShelf).WithName("AdminTakeOffShelf");
        g.MapPost("/products/import", ImportProductsCsv.Handle).WithName("AdminImportProducts").Accepts<string>("text/csv");

        g.MapPost("/products/{productId:long}/skus", ManageSkus.Add).WithName("AdminAddSku");
        g.MapPut("/skus/{skuId:long}", ManageSkus.Update).WithName("AdminUpdateSku");
        g.MapDelete("/skus/{skuId:long}", ManageSkus.Delete).WithName("AdminDeleteSku");
        g.MapPost("/skus/{skuId:long}/stock-adjustments", ManageSkus.AdjustStock).WithName("AdminAdjustStock");
        g.MapGet("/skus/{skuId:long}/stock-adjustments", ManageSkus.Adjustments).WithName("AdminListStockAdjustments");
        return g;
    }
}
