using MySqlConnector;
using WeChatMall.Api.Features.AutoReplies;
using WeChatMall.Api.Features.Followers;
using WeChatMall.Api.Infrastructure.Outbox;
using WeChatMall.WeChat.OfficialAccount.Inbound;
using WeChatMall.WeChat.OfficialAccount.Replies;

namespace WeChatMall.Api.Features.Callback;

/// <summary>
/// Handles one verified inbound message: records it (once), applies it to the follower and picks the reply.
/// Only our own database and caches are touched; extra replies go to the outbox for the worker to send.
/// </summary>
public sealed class CallbackProcessor(
    MySqlDataSource dataSource, FollowerStore followers, AutoReplyRuleCache rules, OutboxWriter outbox,
    TimeProvider clock, ILogger<CallbackProcessor> logger)
{
    public async Task<string> HandleAsync(InboundMessage message, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var follower = await followers.FindAsync(message.FromUserName, ct);
        var match = message is UnsubscribeEvent
            ? null // nothing is shown to someone who just left
            : AutoReplyEngine.Match(await rules.GetAsync(ct), InboundMapping.ToTrigger(message), now.UtcDateTime, Random.Shared);
        var context = new ReplyContext(follower?.Nickname, null);

        await using var c = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        var isNew = await FollowerStore.RecordAsync(c, tx, InboundMapping.ToFollowerEvent(message, now.UtcDateTime), ct);
        if (isNew && match is not null)
            for (var i = 0; i < match.Extra.Count; i++)
                await outbox.EnqueueAsync(c, tx, CustomMessageHandler.Kind, $"cb:{message.DedupKey}:{i + 1}",
                    new CustomMessage(message.FromUserName, ReplyRenderer.Render(match.Extra[i], context)), ct);
        await tx.CommitAsync(ct);

        Log.Handled(logger, message.MsgType, (message as EventMessage)?.Event, match?.Rule.Id, !isNew);
        return match is null
            ? PassiveReply.SuccessBody
            : ReplyBuilder.ToXml(message, ReplyRenderer.Render(match.Passive, context), now.ToUnixTimeSeconds());
    }
}
