using System.Data.Common;
using Dapper;

namespace WeChatMall.Api.Features.Followers;

/// <summary>A follower as WeChat's follower list reports them (user/info): following since <see cref="SubscribedAt"/>.</summary>
public sealed record ImportedFollower(string OpenId, string? UnionId, DateTime SubscribedAt);

public sealed partial class FollowerStore
{
    // A row the callback already keeps is only completed (UnionID, first follow time): its state and times are newer.
    const string ImportSql = """
        INSERT INTO followers (openid, unionid, state, first_subscribed_at, last_subscribed_at, created_at, updated_at)
        VALUES (@OpenId, @UnionId, 'subscribed', @SubscribedAt, @SubscribedAt, @Now, @Now)
        ON DUPLICATE KEY UPDATE unionid = COALESCE(VALUES(unionid), unionid),
            first_subscribed_at = COALESCE(first_subscribed_at, VALUES(first_subscribed_at)),
            last_subscribed_at = COALESCE(last_subscribed_at, VALUES(last_subscribed_at)), updated_at = VALUES(updated_at)
        """;

    /// <summary>Upserts followers learnt from the follower list (one row per openid), in the caller's transaction.</summary>
    public static Task ImportAsync(DbConnection c, DbTransaction tx, IReadOnlyList<ImportedFollower> followers, DateTime now, CancellationToken ct)
        => followers.Count == 0 ? Task.CompletedTask : c.ExecuteAsync(new CommandDefinition(ImportSql,
            followers.Select(f => new { f.OpenId, f.UnionId, f.SubscribedAt, Now = now }), tx, cancellationToken: ct));
}
