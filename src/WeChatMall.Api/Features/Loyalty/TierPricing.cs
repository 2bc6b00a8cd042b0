using System.Globalization;
using System.Security.Claims;
using Dapper;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Caching.Memory;
using MySqlConnector;
using WeChatMall.Api.Features.Catalog;
using WeChatMall.Api.Features.Members;

namespace WeChatMall.Api.Features.Loyalty;

/// <summary>
/// Tier prices on product detail. The shared cached view is never changed: a signed-in member whose tier has a
/// discount gets a per-request copy with each SKU price (and the lowest price) reduced by the discount, rounded down
/// (the shopper pays at least what the rule says, as <see cref="MemberBenefits.DiscountOn"/>). The discount travels
/// as a claim (<see cref="TierDiscountClaims"/>), so this is synchronous and costs nothing for everyone else.
/// </summary>
public sealed class TierPricing : IMemberPricing
{
    public bool AppliesTo(ClaimsPrincipal member) => TierDiscountClaims.DiscountOf(member) > 0;

    public ProductDetailDto Apply(ProductDetailDto product, ClaimsPrincipal member)
    {
        var bp = TierDiscountClaims.DiscountOf(member);
        long Price(long fen) => fen - fen * bp / 10_000;
        return product with
        {
            MinPriceFen = Price(product.MinPriceFen),
            Skus = product.Skus.Select(s => s with { PriceFen = Price(s.PriceFen), OriginalPriceFen = s.OriginalPriceFen ?? s.PriceFen }).ToList(),
        };
    }
}

/// <summary>
/// Adds the member's tier discount (basis points) as a claim to a principal of the Member scheme. The member → discount
/// lookup is cached per instance for a minute, so an upgrade shows on product detail within that time (checkout reads
/// the tier in its own transaction through <see cref="ILoyalty.GetBenefitsAsync"/>, never from here).
/// </summary>
public sealed class TierDiscountClaims(MySqlDataSource db, TierStore tiers, IMemoryCache cache) : IClaimsTransformation
{
    public const string ClaimType = "wcm:tier_discount_bp";
    static readonly TimeSpan CacheFor = TimeSpan.FromMinutes(1);

    public static int DiscountOf(ClaimsPrincipal member) =>
        int.TryParse(member.FindFirstValue(ClaimType), NumberStyles.None, CultureInfo.InvariantCulture, out var bp) ? bp : 0;

    public async Task<ClaimsPrincipal> TransformAsync(ClaimsPrincipal principal)
    {
        if (principal.Identity is not ClaimsIdentity { AuthenticationType: MemberAuth.Scheme } identity || principal.HasClaim(c => c.Type == ClaimType)
            || !long.TryParse(principal.FindFirstValue(ClaimTypes.NameIdentifier), NumberStyles.None, CultureInfo.InvariantCulture, out var memberId))
            return principal;
        var key = "loyalty:tier-discount:" + memberId.ToString(CultureInfo.InvariantCulture);
        if (!cache.TryGetValue(key, out int bp))
        {
            await using var c = await db.OpenConnectionAsync();
            var code = await c.ExecuteScalarAsync<string?>(new CommandDefinition("SELECT tier FROM members WHERE id = @memberId", new { memberId }));
            bp = code is null ? 0 : (await tiers.AllAsync(CancellationToken.None)).FirstOrDefault(t => t.Code == code)?.DiscountBasisPoints ?? 0;
            // Size: the shared IMemoryCache has a limit in bytes (Caching:LocalCacheMaxBytes); this entry is a key and an int.
            cache.Set(key, bp, new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = CacheFor, Size = 64 });
        }
        identity.AddClaim(new Claim(ClaimType, bp.ToString(CultureInfo.InvariantCulture)));
        return principal;
    }
}
