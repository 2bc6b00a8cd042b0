using Microsoft.Extensions.Options;

namespace WeChatMall.Api.Features.Catalog;

/// <summary>
/// How many orders that passed a flash-sale gate one instance sends to MySQL at once per SKU
/// (FlashSale:PlacementsPerSku; docs/flash-sale.md#mysql-the-orders-of-a-sale). Those orders all end on the same SKU and
/// product rows, which InnoDB lets one transaction change at a time: running dozens of them together adds no
/// throughput, only dozens of server threads competing for the cores and for the row while the holder waits its turn
/// to finish. The others wait here, in order, costing nothing. SKUs share a fixed set of slots by id, so the memory
/// stays bounded; two SKUs on the same stripe share its limit.
/// </summary>
public sealed class FlashSalePlacements(IOptions<FlashSaleOptions> options)
{
    const int Stripes = 64;
    readonly SemaphoreSlim[] slots = [.. Enumerable.Range(0, Stripes).Select(_ => new SemaphoreSlim(options.Value.PlacementsPerSku))];

    /// <summary>Waits for a slot of <paramref name="skuId"/>; disposing the result gives it back.</summary>
    public async Task<IDisposable> EnterAsync(long skuId, CancellationToken ct)
    {
        var slot = slots[(int)((ulong)skuId % Stripes)];
        await slot.WaitAsync(ct);
        return new Slot(slot);
    }

    sealed class Slot(SemaphoreSlim slot) : IDisposable
    {
        int released;
        public void Dispose()
        {
            if (Interlocked.Exchange(ref released, 1) == 0) slot.Release();
        }
    }
}
