using System.Security.Cryptography;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using MySqlConnector;
using StackExchange.Redis;
using WeChatMall.Api.Infrastructure.Http;
using WeChatMall.Api.Infrastructure.Redis;

namespace WeChatMall.Api.Features.Catalog;

/// <summary>
/// The Redis stock gate in front of <see cref="Stock.TakeAsync"/> for SKUs of flash-sale products (docs/flash-sale.md):
/// one Lua step reserves the units and counts them against the member's purchase limit, so a sold-out attempt is refused
/// without a MySQL connection. The gate only ever says "no" early: an order that passes it still takes its stock in the
/// MySQL transaction, which stays the source of truth, so a wrong or lost gate can slow a sale down but never oversell.
/// A missing gate is rebuilt from MySQL under a short lock; every stock return in MySQL (cancel, expiry, admin
/// adjustment) drops it so the next attempt rebuilds it; it expires after FlashSale:GateTtlSeconds in any case.
/// </summary>
public sealed partial class FlashSaleGate(IDatabase redis, MySqlDataSource db, IOptions<FlashSaleOptions> options,
    IOptions<RedisOptions> redisOptions, FlashSaleSoldOut soldOut, ILogger<FlashSaleGate> logger)
{
    /// <summary>Units reserved in the gate of one SKU, from the gate generation <paramref name="Generation"/>.</summary>
    public sealed record Hold(long SkuId, int Quantity, string Generation);

    /// <summary>The gate's answer: the holds to keep or give back, or a refusal (nothing held then).</summary>
    public sealed record Pass(IReadOnlyList<Hold> Holds, ProblemHttpResult? Refusal);

    static readonly Pass Open = new([], null);

    // Returns {1, gen} reserved; {2} not a flash-sale SKU; {0, stock} not enough stock; {-1, held, limit} over the
    // member's limit; {-2} no gate (rebuild it). Stock is checked before the limit, in the order MySQL checks them.
    const string ReserveLua = """
        local g = redis.call('HMGET', KEYS[1], 'on', 'stock', 'limit', 'gen')
        if not g[1] then return {-2} end
        if g[1] == '0' then return {2} end
        local qty = tonumber(ARGV[2])
        local limit = tonumber(g[3])
        if tonumber(g[2]) < qty then return {0, tonumber(g[2])} end
        local held = tonumber(redis.call('HGET', KEYS[2], ARGV[1]) or '0')
        if limit > 0 and held + qty > limit then return {-1, held, limit} end
        redis.call('HINCRBY', KEYS[1], 'stock', -qty)
        redis.call('HINCRBY', KEYS[2], ARGV[1], qty)
        local ttl = redis.call('PTTL', KEYS[1])
        if ttl > 0 then redis.call('PEXPIRE', KEYS[2], ttl) end
        return {1, g[4]}
        """;

    // A reservation from an older generation is not given back: the rebuild that replaced it counted MySQL without it.
    const string ReleaseLua = """
        if redis.call('HGET', KEYS[1], 'gen') ~= ARGV[3] then return 0 end
        redis.call('HINCRBY', KEYS[1], 'stock', ARGV[2])
        if redis.call('HINCRBY', KEYS[2], ARGV[1], -tonumber(ARGV[2])) <= 0 then redis.call('HDEL', KEYS[2], ARGV[1]) end
        return 1
        """;

    // Installs a gate read from MySQL, unless a whole one exists already or an invalidation happened since the read began.
    const string InstallLua = """
        if redis.call('HEXISTS', KEYS[1], 'gen') == 1 then return 0 end
        if (redis.call('GET', KEYS[3]) or '0') ~= ARGV[1] then return -1 end
        redis.call('DEL', KEYS[1], KEYS[2])
        redis.call('HSET', KEYS[1], 'on', ARGV[3], 'stock', ARGV[4], 'limit', ARGV[5], 'gen', ARGV[6])
        redis.call('PEXPIRE', KEYS[1], ARGV[2])
        for i = 7, #ARGV, 2 do redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 1]) end
        if #ARGV > 6 then redis.call('PEXPIRE', KEYS[2], ARGV[2]) end
        return 1
        """;

    const string ForgetLua = """
        redis.call('INCR', KEYS[3])
        redis.call('EXPIRE', KEYS[3], 604800)
        redis.call('DEL', KEYS[1], KEYS[2])
        return 1
        """;

    sealed record SkuState(int Stock, int? PurchaseLimit, bool FlashSale);

    const string SkuSql = """
        SELECT s.stock, s.purchase_limit, p.flash_sale FROM catalog_skus s JOIN catalog_products p ON p.id = s.product_id WHERE s.id = @skuId
        """;

    // The per-member count PurchaseLimits checks in MySQL: units in orders that are not cancelled.
    const string HeldSql = """
        SELECT o.member_id, SUM(l.quantity) FROM order_lines l JOIN orders o ON o.id = l.order_id
        WHERE l.sku_id = @skuId AND o.status <> 'cancelled' GROUP BY o.member_id
        """;

    TimeSpan Deadline => redisOptions.Value.CallTimeout;

    /// <summary>
    /// Reserves <paramref name="wanted"/> (SKU → units) for the member in every flash-sale SKU's gate, in SKU id order.
    /// A refusal gives back what was reserved. Redis down or too slow: no gate (MySQL decides alone).
    /// </summary>
    public async Task<Pass> ReserveAsync(long memberId, IReadOnlyDictionary<long, int> wanted, CancellationToken ct)
    {
        var holds = new List<Hold>();
        try
        {
            foreach (var (skuId, quantity) in wanted.OrderBy(w => w.Key))
            {
                var answer = await ReserveOneAsync(memberId, skuId, quantity, ct);
                if (answer is Hold hold) holds.Add(hold);
                else if (answer is ProblemHttpResult refusal)
                {
                    await ReleaseAsync(memberId, holds);
                    return new Pass([], refusal);
                }
            }
            return new Pass(holds, null);
        }
        catch (Exception ex) when (RedisDeadline.IsOutage(ex))
        {
            Log.GateUnavailable(logger, ex.GetType().Name);
            await ReleaseAsync(memberId, holds);
            return Open;
        }
    }

    async Task<object?> ReserveOneAsync(long memberId, long skuId, int quantity, CancellationToken ct)
    {
        var waitUntil = Environment.TickCount64 + options.Value.RebuildWaitMs;
        while (true)
        {
            var memoryVersion = soldOut.Version;
            var r = (RedisResult[])(await redis.ScriptEvaluateAsync(ReserveLua,
                [RedisKeys.FlashGate(skuId), RedisKeys.FlashHeld(skuId)], [memberId, quantity]).WithDeadline(Deadline, ct))!;
            switch ((int)r[0])
            {
                case 1: return new Hold(skuId, quantity, (string)r[1]!);
                case 2: return null;
                case 0:
                    if ((int)r[1] <= 0) soldOut.Remember(skuId, memoryVersion);
                    return SoldOut(skuId, quantity);
                case -1:
                    var (held, limit) = ((int)r[1], (int)r[2]);
                    var remaining = Math.Max(0, limit - held);
                    return Problems.Conflict("PURCHASE_LIMIT_EXCEEDED", "Purchase limit reached for this item",
                        $"SKU {skuId} is limited to {limit} per customer; you may order {remaining} more.",
                        new Dictionary<string, object?> { ["skuId"] = skuId, ["limit"] = limit, ["remaining"] = remaining });
            }
            var rebuilt = await RebuildAsync(skuId, ct);
            if (rebuilt == Rebuild.NoSuchSku) return null; // MySQL refuses the order
            if (rebuilt == Rebuild.Built) continue;
            if (Environment.TickCount64 >= waitUntil)
            {
                Log.GateNotBuilt(logger, skuId);
                return null;
            }
            await Task.Delay(10, ct);
        }
    }

    /// <summary>The gate's refusal when the SKU has fewer units than asked (also answered by <see cref="FlashSaleSoldOut"/>).</summary>
    public static ProblemHttpResult SoldOut(long skuId, int quantity) =>
        Problems.Conflict("OUT_OF_STOCK", "Not enough stock", $"SKU {skuId} has not enough stock for {quantity}.",
            new Dictionary<string, object?> { ["skuId"] = skuId });

    enum Rebuild { Built, Busy, NoSuchSku }

    /// <summary>Builds the SKU's gate from MySQL; Busy when another attempt holds the rebuild lock or invalidated it meanwhile.</summary>
    async Task<Rebuild> RebuildAsync(long skuId, CancellationToken ct)
    {
        var lockToken = Convert.ToHexString(RandomNumberGenerator.GetBytes(8));
        if (!await redis.StringSetAsync(RedisKeys.FlashRebuildLock(skuId), lockToken, TimeSpan.FromSeconds(2), When.NotExists).WithDeadline(Deadline, ct))
            return Rebuild.Busy;
        try
        {
            var epoch = (string?)await redis.StringGetAsync(RedisKeys.FlashEpoch(skuId)).WithDeadline(Deadline, ct) ?? "0";
            await using var c = await db.OpenConnectionAsync(ct);
            var sku = await c.QuerySingleOrDefaultAsync<SkuState>(new CommandDefinition(SkuSql, new { skuId }, cancellationToken: ct));
            if (sku is null) return Rebuild.NoSuchSku;
            var args = new List<RedisValue>
            {
                epoch, options.Value.GateTtlSeconds * 1000L, sku.FlashSale ? 1 : 0, Math.Max(sku.Stock, 0), sku.PurchaseLimit ?? 0,
                Convert.ToHexString(RandomNumberGenerator.GetBytes(8)),
            };
            if (sku.FlashSale && sku.PurchaseLimit is not null)
                foreach (var (member, units) in await c.QueryAsync<(long, long)>(new CommandDefinition(HeldSql, new { skuId }, cancellationToken: ct)))
                    args.AddRange([member, units]);
            var installed = (int)await redis.ScriptEvaluateAsync(InstallLua,
                [RedisKeys.FlashGate(skuId), RedisKeys.FlashHeld(skuId), RedisKeys.FlashEpoch(skuId)], [.. args]).WithDeadline(Deadline, ct);
            if (installed < 0) return Rebuild.Busy; // dropped while we read MySQL: read again
            if (installed == 1 && sku.FlashSale)
            {
                Log.GateBuilt(logger, skuId, sku.Stock);
                await soldOut.UnitsBackAsync([skuId]);
            }
            return Rebuild.Built;
        }
        finally
        {
            await redis.LockReleaseAsync(RedisKeys.FlashRebuildLock(skuId), lockToken).WithDeadline(Deadline, CancellationToken.None);
        }
    }

    /// <summary>Gives reserved units back (the order they were for was not placed). Best effort: the TTL bounds a failure.</summary>
    public async Task ReleaseAsync(long memberId, IReadOnlyList<Hold> holds)
    {
        foreach (var h in holds)
        {
            try
            {
                if ((int)await redis.ScriptEvaluateAsync(ReleaseLua, [RedisKeys.FlashGate(h.SkuId), RedisKeys.FlashHeld(h.SkuId)],
                        [memberId, h.Quantity, h.Generation]).WithDeadline(Deadline) == 1)
                    await soldOut.UnitsBackAsync([h.SkuId]);
            }
            catch (Exception ex) when (RedisDeadline.IsOutage(ex))
            {
                Log.ReleaseFailed(logger, h.SkuId, ex.GetType().Name);
            }
        }
    }

    /// <summary>
    /// Drops the gates of these SKUs after MySQL's stock changed other than by an order (cancel, expiry, adjustment) or
    /// disagreed with the gate: the next attempt rebuilds each from MySQL. Best effort, after the commit.
    /// </summary>
    public async Task ForgetAsync(IEnumerable<long> skuIds)
    {
        var forgotten = skuIds.Distinct().ToList();
        foreach (var skuId in forgotten)
        {
            try
            {
                await redis.ScriptEvaluateAsync(ForgetLua,
                    [RedisKeys.FlashGate(skuId), RedisKeys.FlashHeld(skuId), RedisKeys.FlashEpoch(skuId)]).WithDeadline(Deadline);
            }
            catch (Exception ex) when (RedisDeadline.IsOutage(ex))
            {
                Log.ForgetFailed(logger, skuId, ex.GetType().Name);
            }
        }
        // The next attempt rebuilds each gate from MySQL, maybe with units: no instance may keep refusing it from memory.
        await soldOut.UnitsBackAsync(forgotten);
    }

    /// <summary><see cref="ForgetAsync"/> for every SKU of a product (its flash-sale flag changed).</summary>
    public async Task ForgetProductAsync(long productId, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        await ForgetAsync(await c.QueryAsync<long>(new CommandDefinition(
            "SELECT id FROM catalog_skus WHERE product_id = @productId", new { productId }, cancellationToken: ct)));
    }

    static partial class Log
    {
        [LoggerMessage(20201, LogLevel.Warning, "Flash-sale gate unavailable ({Error}): this order goes to MySQL without it")]
        public static partial void GateUnavailable(ILogger logger, string error);

        [LoggerMessage(20202, LogLevel.Warning, "Flash-sale gate of SKU {SkuId} still missing after the rebuild wait: this order goes to MySQL without it")]
        public static partial void GateNotBuilt(ILogger logger, long skuId);

        [LoggerMessage(20203, LogLevel.Information, "Flash-sale gate of SKU {SkuId} built from MySQL with stock {Stock}")]
        public static partial void GateBuilt(ILogger logger, long skuId, int stock);

        [LoggerMessage(20204, LogLevel.Warning, "Flash-sale gate of SKU {SkuId}: a reservation could not be given back ({Error}); the gate's TTL restores it")]
        public static partial void ReleaseFailed(ILogger logger, long skuId, string error);

        [LoggerMessage(20205, LogLevel.Warning, "Flash-sale gate of SKU {SkuId} could not be dropped ({Error}); it is rebuilt when its TTL runs out")]
        public static partial void ForgetFailed(ILogger logger, long skuId, string error);
    }
}
