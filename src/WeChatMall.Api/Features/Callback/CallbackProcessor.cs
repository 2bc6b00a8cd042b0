using WeChatMall.Api.Features.AutoReplies;
using WeChatMall.Api.Features.Followers;
using WeChatMall.Api.Features.Members;
using WeChatMall.WeChat.OfficialAccount.Inbound;
using WeChatMall.WeChat.OfficialAccount.Replies;

namespace WeChatMall.Api.Features.Callback;

/// <summary>
/// Decides the reply to one verified message and what it leaves behind, from cached rules and cached nicknames only.
/// </summary>
public sealed class CallbackProcessor(FollowerNicknames nicknames, AutoReplyRuleCache rules, TimeProvider clock, ILogger<CallbackProcessor> logger,
    ClaimCodeByMessage codeMessages)
{
    public sealed record Decision(string Reply, RecordedCallback Record);

    /// <param name="redisDown">This request already found Redis down: decide without waiting on it again.</param>
    public async Task<Decision> DecideAsync(InboundMessage message, CancellationToken ct, bool redisDown = false)
    {
        var now = clock.GetUtcNow();
        // A product code sent as text is claimed (Features/Members) and answered before any auto-reply rule; the
        // message log keeps that a code was sent, never the code (an unclaimed code there could be claimed by others).
        if (await codeMessages.TryAnswerAsync(message, ct, redisDown) is { } codeAnswer)
            return new Decision(TextReply.To(message, now.ToUnixTimeSeconds(), codeAnswer).ToXml(),
                new RecordedCallback(InboundMapping.ToFollowerEvent(message, now.UtcDateTime) with { Content = ClaimCodeByMessage.LoggedContent }, []));
        var match = message is UnsubscribeEvent
            ? null // nothing is shown to someone who just left
            : AutoReplyEngine.Match(await rules.GetAsync(ct), InboundMapping.ToTrigger(message), now.UtcDateTime, Random.Shared);
        var record = InboundMapping.ToFollowerEvent(message, now.UtcDateTime);
        Log.Handled(logger, message.MsgType, (message as EventMessage)?.Event, match?.Rule.Id);
        if (match is null) return new Decision(PassiveReply.SuccessBody, new RecordedCallback(record, []));

        var context = HasPlaceholder(match)
            ? new ReplyContext(await nicknames.GetAsync(message.FromUserName, ct), null)
            : new ReplyContext(null, null);
        var extras = match.Extra.Select(r => new CustomMessage(message.FromUserName, ReplyRenderer.Render(r, context))).ToList();
        var reply = ReplyBuilder.ToXml(message, ReplyRenderer.Render(match.Passive, context), now.ToUnixTimeSeconds());
        return new Decision(reply, new RecordedCallback(record, extras));
    }

    private static bool HasPlaceholder(AutoReplyMatch match) =>
        match.Extra.Prepend(match.Passive).Any(r => $"{r.Content}{r.Title}{r.Description}".Contains('{'));
}
