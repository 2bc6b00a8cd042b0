using System.Data.Common;
using Dapper;
using WeChatMall.Api.Features.Audience.Tags;
using WeChatMall.Api.Infrastructure.Activity;

namespace WeChatMall.Api.Features.Audience;

/// <summary>The audience side of <see cref="IMemberActivity"/>: stats first, then the rule tags that read them.</summary>
public sealed class MemberActivity(MemberStats stats, TagRules rules) : IMemberActivity
{
    public async Task MembersChangedAsync(DbConnection c, DbTransaction tx, IReadOnlyCollection<long> memberIds, CancellationToken ct)
    {
        await stats.RefreshAsync(c, tx, memberIds, ct);
        await rules.RefreshMembersAsync(c, tx, memberIds, ct);
    }

    public async Task FollowersChangedAsync(DbConnection c, DbTransaction tx, IReadOnlyCollection<string> openIds, CancellationToken ct)
    {
        if (openIds.Count == 0) return;
        var members = (await c.QueryAsync<long>(new CommandDefinition(
            "SELECT DISTINCT member_id FROM member_identities WHERE kind = 'oa_openid' AND value IN @openIds",
            new { openIds }, tx, cancellationToken: ct))).AsList();
        await MembersChangedAsync(c, tx, members, ct);
    }
}
