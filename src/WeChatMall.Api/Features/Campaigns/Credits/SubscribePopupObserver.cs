using System.Data.Common;
using Dapper;
using WeChatMall.Api.Features.Followers;

namespace WeChatMall.Api.Features.Campaigns.Credits;

/// <summary>
/// <c>subscribe_msg_popup_event</c> at the callback: each accepted template adds a credit, in the transaction that logs
/// the event (only events logged for the first time reach observers; the key makes a replay harmless as well). The
/// sender is a mini-program openid, or an Official Account openid of the same member.
/// </summary>
public sealed class SubscribePopupObserver(SubscribeCredits credits) : IFollowerEventObserver
{
    public const string EventName = "subscribe_msg_popup_event";

    public async Task ObserveAsync(DbConnection c, DbTransaction tx, IReadOnlyList<FollowerEvent> events, CancellationToken ct)
    {
        foreach (var e in events.Where(e => e.Event == EventName && !string.IsNullOrEmpty(e.Content)))
        {
            var memberId = await c.ExecuteScalarAsync<long?>(new CommandDefinition("""
                SELECT member_id FROM member_identities WHERE kind IN ('mp_openid', 'oa_openid') AND value = @openId LIMIT 1
                """, new { openId = e.OpenId }, tx, cancellationToken: ct));
            if (memberId is not { } id) continue; // not a member (yet): nothing to credit
            foreach (var choice in e.Content!.Split(',', StringSplitOptions.RemoveEmptyEntries))
            {
                var parts = choice.Split('=', 2);
                if (parts.Length == 2 && parts[1] == "accept" && parts[0].Length is > 0 and <= 64)
                    await credits.GrantAsync(c, tx, id, parts[0], $"popup:{e.DedupKey}:{parts[0]}", "popup_accept", ct);
            }
        }
    }
}
