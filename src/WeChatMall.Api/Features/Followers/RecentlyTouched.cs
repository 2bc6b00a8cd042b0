using System.Collections.Concurrent;

namespace WeChatMall.Api.Features.Followers;

/// <summary>
/// Last-interaction times need minute precision, not one row update per message: this remembers (per writer
/// process) when a follower's time was last written and skips writes less than <see cref="Precision"/> later.
/// </summary>
public sealed class RecentlyTouched
{
    public static readonly TimeSpan Precision = TimeSpan.FromMinutes(1);
    private const int MaxEntries = 200_000;
    private readonly ConcurrentDictionary<string, DateTime> written = new();

    public bool ShouldWrite(string openId, DateTime at)
    {
        if (written.TryGetValue(openId, out var last) && at - last < Precision && at >= last) return false;
        if (written.Count >= MaxEntries) written.Clear(); // crude bound; forgetting only costs an extra write
        written[openId] = at;
        return true;
    }

    public void Forget(IEnumerable<string> openIds)
    {
        foreach (var openId in openIds) written.TryRemove(openId, out _);
    }
}
