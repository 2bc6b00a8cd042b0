using Microsoft.Extensions.Caching.Memory;

namespace WeChatMall.Api.Features.Followers;

/// <summary>
/// Nicknames for reply placeholders, cached in process for a minute so the callback does not query MySQL for every
/// message that uses one. A nickname changed elsewhere shows up within that minute.
/// </summary>
public sealed class FollowerNicknames(FollowerStore store)
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(1);
    private readonly MemoryCache cache = new(new MemoryCacheOptions { SizeLimit = 100_000 });

    public async Task<string?> GetAsync(string openId, CancellationToken ct)
    {
        if (cache.TryGetValue(openId, out string? nickname)) return nickname;
        nickname = (await store.FindAsync(openId, ct))?.Nickname;
        cache.Set(openId, nickname, new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = Lifetime });
        return nickname;
    }
}
