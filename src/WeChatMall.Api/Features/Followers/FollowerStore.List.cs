using Dapper;

namespace WeChatMall.Api.Features.Followers;

public sealed partial class FollowerStore
{
    /// <summary>One page of followers, newest row first, with the member bound to each openid (if any).</summary>
    public async Task<FollowerPageDto> PageAsync(FollowerFilter filter, int page, int pageSize, CancellationToken ct)
    {
        var where = new List<string>();
        if (filter.State is not null) where.Add("f.state = @State");
        if (filter.Channel is not null) where.Add("f.source_channel = @Channel");
        if (filter.Query is not null) where.Add("(f.openid = @Query OR f.nickname LIKE CONCAT('%', @Like, '%'))");
        var sql = $"""
            SELECT f.id AS Id, f.openid AS OpenId, f.state AS State, f.nickname AS Nickname, f.source_channel AS SourceChannel,
                   f.last_channel AS LastChannel, f.first_subscribed_at AS FirstSubscribedAt, f.last_subscribed_at AS LastSubscribedAt,
                   f.unsubscribed_at AS UnsubscribedAt, f.last_interaction_at AS LastInteractionAt, i.member_id AS MemberId
            FROM followers f LEFT JOIN member_identities i ON i.kind = 'oa_openid' AND i.value = f.openid
            {(where.Count > 0 ? "WHERE " + string.Join(" AND ", where) : "")}
            ORDER BY f.id DESC LIMIT @take OFFSET @skip
            """;
        await using var c = await dataSource.OpenConnectionAsync(ct);
        var rows = (await c.QueryAsync<FollowerListItemDto>(new CommandDefinition(sql, new
        {
            filter.State, filter.Channel, filter.Query, Like = EscapeLike(filter.Query),
            take = pageSize + 1, skip = (long)(page - 1) * pageSize,
        }, cancellationToken: ct))).ToList();
        return new FollowerPageDto([.. rows.Take(pageSize)], page, pageSize, rows.Count > pageSize);
    }

    static string? EscapeLike(string? s) => s?.Replace(@"\", @"\\", StringComparison.Ordinal)
        .Replace("%", @"\%", StringComparison.Ordinal).Replace("_", @"\_", StringComparison.Ordinal);
}
