namespace WeChatMall.Api.Infrastructure.Runtime;

/// <summary>
/// Keeps 5 MB alive on the pinned object heap for the life of the process, so that a full collection runs in the
/// background instead of stopping every request. .NET's GC makes a gen2 collection blocking when, on every heap, gen2,
/// the large and the pinned object heaps are each under 4 MB (<c>bgc_min_per_heap</c>; the condemn condition
/// <c>gen_gen2_too_small</c> in dotnet/runtime's gc): the heap of an instance that has served little yet. The flash-sale
/// bench saw exactly that, 47–138 ms blocking gen2s on the quieter instance (docs/benchmarks.md#flash-sale).
/// Its cost: 5 MB of resident memory (measured: RSS +5.2 MB).
/// </summary>
public static class GcFloor
{
    const int Bytes = 5 * 1024 * 1024;
    static byte[]? floor;

    public static void Keep() => floor ??= GC.AllocateUninitializedArray<byte>(Bytes, pinned: true);
}
