using System.Text.Json;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using WeChatMall.Api.Infrastructure.Database;
using HttpJsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace WeChatMall.Api.Features.Catalog;

/// <summary>
/// The mini-program's read path: HybridCache (L1 in process, L2 in Redis, one factory call per key at a time)
/// in front of <see cref="CatalogQueries"/>. Keys embed the current generation (see CatalogCacheGeneration).
/// </summary>
public sealed class CatalogReader(
    HybridCache cache, CatalogQueries queries, CatalogCacheGeneration generation, IOptions<CatalogOptions> options,
    IOptions<HttpJsonOptions> json)
{
    readonly HybridCacheEntryOptions entry = new()
    {
        Expiration = TimeSpan.FromSeconds(options.Value.CacheSeconds),
        LocalCacheExpiration = TimeSpan.FromSeconds(Math.Min(options.Value.LocalCacheSeconds, options.Value.CacheSeconds)),
    };

    static readonly HybridCacheEntryOptions lookupOnly = new() { Flags = HybridCacheEntryFlags.DisableUnderlyingData };

    readonly HybridCacheEntryOptions localEntry = new()
    {
        Expiration = TimeSpan.FromSeconds(Math.Min(options.Value.LocalCacheSeconds, options.Value.CacheSeconds)),
        LocalCacheExpiration = TimeSpan.FromSeconds(Math.Min(options.Value.LocalCacheSeconds, options.Value.CacheSeconds)),
        Flags = HybridCacheEntryFlags.DisableDistributedCache,
    };

    // The product view carries stock, so it stays in process only and briefly: shown stock is at most
    // StockCacheSeconds old. Stock is read straight from MySQL when the view is rebuilt.
    readonly HybridCacheEntryOptions viewEntry = new()
    {
        Expiration = TimeSpan.FromSeconds(Math.Max(options.Value.StockCacheSeconds, 1)),
        LocalCacheExpiration = TimeSpan.FromSeconds(Math.Max(options.Value.StockCacheSeconds, 1)),
        Flags = HybridCacheEntryFlags.DisableDistributedCache
            | (options.Value.StockCacheSeconds == 0 ? HybridCacheEntryFlags.DisableLocalCache : HybridCacheEntryFlags.None),
    };

    public ValueTask<CategoryTree> CategoriesAsync(CancellationToken ct) =>
        cache.GetOrCreateAsync($"catalog:{generation.Token}:categories", queries,
            static (q, c) => new ValueTask<CategoryTree>(q.CategoryTreeAsync(c)), entry, cancellationToken: ct);

    /// <summary>The on-shelf product with stock, and its JSON, shared by every request until it is rebuilt.</summary>
    public async ValueTask<ProductView?> ProductAsync(long id, CancellationToken ct)
    {
        var token = generation.Token;
        try
        {
            var view = await cache.GetOrCreateAsync($"catalog:{token}:view:{id}", (reader: this, token, id),
                static (s, c) => s.reader.BuildViewAsync(s.token, s.id, c), viewEntry, cancellationToken: ct);
            if (view is not null && !(lastViews.TryGetValue(id, out (string Token, ProductView View) known) && ReferenceEquals(known.View, view)))
                lastViews.Set(id, (token, view), lastViewEntry);
            return view;
        }
        // The view is rebuilt every StockCacheSeconds from MySQL; while MySQL is down the last one built (same cache
        // generation) keeps being served, with its older stock, rather than none.
        catch (Exception ex) when (DatabaseOutage.Is(ex) && lastViews.TryGetValue(id, out (string Token, ProductView View) last) && last.Token == token)
        {
            return last.View;
        }
    }

    readonly MemoryCache lastViews = new(new MemoryCacheOptions { SizeLimit = 10_000 });
    readonly MemoryCacheEntryOptions lastViewEntry = new() { Size = 1, AbsoluteExpirationRelativeToNow = TimeSpan.FromSeconds(Math.Max(options.Value.CacheSeconds, 1)) };

    async ValueTask<ProductView?> BuildViewAsync(string token, long id, CancellationToken ct)
    {
        // Any id can be asked for, so only products that exist are cached: a lookup that cannot call the factory, then
        // MySQL and SetAsync. The view above already lets one request per id and instance get here at a time.
        var key = $"catalog:{token}:product:{id}";
        var product = await cache.GetOrCreateAsync(key, 0, static (_, _) => ValueTask.FromResult<ProductInfo?>(null), lookupOnly, cancellationToken: ct);
        if (product is null)
        {
            product = await queries.ProductAsync(id, includeOffShelf: false, ct);
            if (product is null) return null;
            await cache.SetAsync(key, product, entry, cancellationToken: ct);
        }
        var dto = ProductDetailDto.Compose(product, await queries.StockAsync(id, ct));
        return new ProductView(dto, JsonSerializer.SerializeToUtf8Bytes(dto, json.Value.SerializerOptions));
    }

    /// <summary>Pages past this one are cached in process only: Redis holds a bounded number of list keys.</summary>
    public const int SharedPages = 10;

    // Anonymous input picks the list key, so only keys the catalog itself bounds go to Redis (at most categories × sorts ×
    // SharedPages × page sizes per generation). A free-text search or a deep page is cached in process only, where
    // the size limit (Caching:LocalCacheMaxBytes) evicts it; an unknown category is an empty page, not cached at all.
    public async ValueTask<ProductPage> ListAsync(long? categoryId, string? keyword, string sort, int page, int pageSize, CancellationToken ct)
    {
        var token = generation.Token;
        keyword = string.IsNullOrWhiteSpace(keyword) ? null : keyword.Trim();
        IReadOnlyList<long>? categories = categoryId is { } c ? (await CategoriesAsync(ct)).Subtree(c) : null;
        if (categories is { Count: 0 }) return new ProductPage([], page, pageSize, HasMore: false);
        var key = $"catalog:{token}:list:{categoryId}:{sort}:{page}:{pageSize}:{keyword}";
        return await cache.GetOrCreateAsync(key, (queries, categories, keyword, sort, page, pageSize),
            static (s, c) => new ValueTask<ProductPage>(s.queries.ListAsync(s.categories, s.keyword, s.sort, s.page, s.pageSize, c)),
            keyword is null && page <= SharedPages ? entry : localEntry, cancellationToken: ct);
    }
}
