using Dapper;

namespace WeChatMall.Api.Features.Followers;

public sealed partial class FollowerStore
{
    /// <summary>
    /// When each of these openids last unfollowed (followers.unsubscribed_at, kept after a re-follow); openids that never
    /// unfollowed are absent. Read in chunks of 1,000, for campaign results.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, DateTime>> UnsubscribedAtAsync(IReadOnlyCollection<string> openIds, CancellationToken ct)
    {
        var result = new Dictionary<string, DateTime>(StringComparer.Ordinal);
        await using var c = await dataSource.OpenConnectionAsync(ct);
        foreach (var chunk in openIds.Distinct(StringComparer.Ordinal).Chunk(1_000))
            foreach (var (openId, at) in await c.QueryAsync<(string, DateTime)>(new CommandDefinition(
                "SELECT openid, unsubscribed_at FROM followers WHERE openid IN @chunk AND unsubscribed_at IS NOT NULL",
                new { chunk }, cancellationToken: ct)))
                result[openId] = at;
        return result;
    }
}
