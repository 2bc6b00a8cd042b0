using System.Text.Json;
using WeChatMall.Api.Features.AutoReplies;
using WeChatMall.Api.Features.Followers;
using WeChatMall.WeChat.OfficialAccount.Inbound;

namespace WeChatMall.Api.Features.Callback;

/// <summary>Translates the protocol model into what the rules and the follower log need.</summary>
public static class InboundMapping
{
    public static ReplyTrigger ToTrigger(InboundMessage message) => message switch
    {
        TextMessage text => new ReplyTrigger(ReplyTrigger.TextMessage, Text: text.Content),
        SubscribeEvent subscribe => new ReplyTrigger(ReplyTrigger.SubscribeEvent, Key: subscribe.SceneKey),
        ScanEvent scan => new ReplyTrigger(ReplyTrigger.ScanEvent, Key: scan.EventKey),
        ClickEvent click => new ReplyTrigger(ReplyTrigger.ClickEvent, Key: click.EventKey),
        UserMessage or UnknownMessage => new ReplyTrigger(ReplyTrigger.OtherMessage),
        _ => new ReplyTrigger(ReplyTrigger.OtherEvent),
    };

    public static FollowerEvent ToFollowerEvent(InboundMessage message, DateTime receivedAt) => new(
        message.DedupKey, message.FromUserName, message.MsgType,
        (message as EventMessage)?.Event,
        NullIfEmpty((message as EventMessage)?.EventKey),
        message switch
        {
            TextMessage t => t.Content,
            // The prompt's answers travel as "templateId=status,…" so the subscribe credit ledger can read them.
            SubscribeMsgPopupEvent p => string.Join(',', p.Choices.Select(c => $"{c.TemplateId}={c.Status}")),
            // A mass job's report travels as JSON so Campaigns can record it (MassJobFinishObserver).
            MassSendJobFinishEvent m => JsonSerializer.Serialize(new MassJobReport(m.Status, m.TotalCount, m.FilterCount, m.SentCount, m.ErrorCount)),
            _ => null,
        },
        (message as UserMessage)?.MsgId ?? (message as MassSendJobFinishEvent)?.MsgId,
        DateTimeOffset.FromUnixTimeSeconds(message.CreateTime).UtcDateTime,
        receivedAt)
    {
        Channel = message switch
        {
            SubscribeEvent s => s.SceneKey,
            ScanEvent s => NullIfEmpty(s.EventKey),
            _ => null,
        },
    };

    private static string? NullIfEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;
}
