using System.Security.Claims;

namespace WeChatMall.Api.Features.Catalog;

/// <summary>
/// Extension point for member tier prices, implemented by Loyalty's TierPricing; ListPricing (everyone pays the list
/// price) is the default when Loyalty is not registered. Tier prices are applied per request to the cached product,
/// never stored in the shared cache entry.
/// </summary>
public interface IMemberPricing
{
    /// <summary>False when the caller pays list prices: then the shared, pre-serialized view is served as is.</summary>
    bool AppliesTo(ClaimsPrincipal member);

    ProductDetailDto Apply(ProductDetailDto product, ClaimsPrincipal member);
}

/// <summary>Everyone pays the list price.</summary>
public sealed class ListPricing : IMemberPricing
{
    public bool AppliesTo(ClaimsPrincipal member) => false;

    public ProductDetailDto Apply(ProductDetailDto product, ClaimsPrincipal member) => product;
}
