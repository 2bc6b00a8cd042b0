using System.Data.Common;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.Options;
using WeChatMall.Api.Features.Followers;
using WeChatMall.Api.Infrastructure.Outbox;
using WeChatMall.WeChat.Api;

namespace WeChatMall.Api.Features.Members;

public sealed record FollowLinkPayload(string OpenId);

/// <summary>
/// A follow by an Official Account openid that no member holds yet: the link to the member who already used the
/// mini-program (same UnionID) is queued in the outbox, inside the transaction that logs the event, so the callback
/// stays fast and a WeChat hiccup is retried. <see cref="FollowLinkHandler"/> does the work.
/// </summary>
public sealed class LinkFollowerOnFollow(OutboxWriter outbox, IOptions<MemberOptions> options) : IFollowerEventObserver
{
    public const string Kind = "members.follow_link";

    public async Task ObserveAsync(DbConnection c, DbTransaction tx, IReadOnlyList<FollowerEvent> events, CancellationToken ct)
    {
        if (!options.Value.LinkFollowersByUnionId) return;
        var follows = events.Where(e => e.Change == FollowerChange.Subscribed).DistinctBy(e => e.OpenId).ToList();
        if (follows.Count == 0) return;
        var held = (await c.QueryAsync<string>(new CommandDefinition(
            "SELECT value FROM member_identities WHERE kind = 'oa_openid' AND value IN @openIds",
            new { openIds = follows.Select(e => e.OpenId).ToList() }, tx, cancellationToken: ct))).ToHashSet(StringComparer.Ordinal);
        foreach (var e in follows.Where(e => !held.Contains(e.OpenId)))
            await outbox.EnqueueAsync(c, tx, Kind, $"{Kind}:{e.DedupKey}", new FollowLinkPayload(e.OpenId), ct);
    }
}

/// <summary>
/// Finds the follower's UnionID (kept from the follower sync, else <c>cgi-bin/user/info</c>) and runs the login's own
/// UnionID linking (<see cref="MemberStore.LinkOfficialAccountAsync"/>, then <see cref="MemberMerger.TryMergeOnLoginAsync"/>
/// when the openid and the UnionID were on two members). Without a UnionID (account not bound to an open platform) or
/// a member holding it, nothing is linked: a follower alone is no member.
/// </summary>
public sealed class FollowLinkHandler(FollowerStore followers, OfficialAccountClient oa, MemberStore members, MemberMerger merger,
    TimeProvider time, ILogger<FollowLinkHandler> logger) : IOutboxHandler
{
    public string Kind => LinkFollowerOnFollow.Kind;

    public async Task HandleAsync(string payloadJson, CancellationToken ct)
    {
        var p = JsonSerializer.Deserialize<FollowLinkPayload>(payloadJson, JsonSerializerOptions.Web)
            ?? throw new OutboxPermanentFailure("Empty follow-link payload.");
        var now = time.GetUtcNow().UtcDateTime;
        var unionId = await followers.UnionIdAsync(p.OpenId, ct);
        if (unionId is null)
        {
            FollowerInfo info;
            try
            {
                info = await oa.GetUserInfoAsync(p.OpenId, ct);
            }
            // 40003: not an openid of this account. Anything else (busy, 5xx, token) throws on and the outbox retries.
            catch (WeChatApiException ex) when (ex.Errcode == 40003)
            {
                throw new OutboxPermanentFailure($"user/info refused the openid: {ex.Errcode} {ex.Errmsg}", ex);
            }
            if (info.UnionId is not { Length: > 0 } fetched)
            {
                Log.FollowerWithoutUnionId(logger, info.Subscribed);
                return;
            }
            unionId = fetched;
            await followers.SetUnionIdAsync(p.OpenId, unionId, now, ct);
        }
        if (await members.LinkOfficialAccountAsync(p.OpenId, unionId, now, ct) is not { } login) return;
        if (login.UnionIdHeldBy is { } other) Log.FollowerOnTwoMembers(logger, login.MemberId, other);
        var memberId = await merger.TryMergeOnLoginAsync(login, ct);
        Log.FollowerLinked(logger, memberId);
    }
}

static partial class Log
{
    [LoggerMessage(7030, LogLevel.Information, "Follower linked to member {MemberId} by UnionID")]
    public static partial void FollowerLinked(ILogger logger, long memberId);

    [LoggerMessage(7031, LogLevel.Information, "Follow not linked: WeChat gave no UnionID (still following: {Subscribed}; is the account bound to an open platform?)")]
    public static partial void FollowerWithoutUnionId(ILogger logger, bool subscribed);

    [LoggerMessage(7032, LogLevel.Warning, "A follower's openid is on member {MemberId} and its UnionID on member {OtherMemberId}; merging them")]
    public static partial void FollowerOnTwoMembers(ILogger logger, long memberId, long otherMemberId);
}
