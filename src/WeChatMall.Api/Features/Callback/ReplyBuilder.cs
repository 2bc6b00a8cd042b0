using WeChatMall.Api.Features.AutoReplies;
using WeChatMall.WeChat.OfficialAccount.Inbound;
using WeChatMall.WeChat.OfficialAccount.Replies;

namespace WeChatMall.Api.Features.Callback;

public static class ReplyBuilder
{
    /// <summary>The passive reply XML for a rendered reply spec.</summary>
    public static string ToXml(InboundMessage inbound, ReplySpec reply, long now) => (reply.Type switch
    {
        "text" => (PassiveReply)TextReply.To(inbound, now, reply.Content ?? ""),
        "image" => ImageReply.To(inbound, now, reply.MediaId ?? ""),
        "news" => NewsReply.To(inbound, now, new NewsArticle(reply.Title ?? "", reply.Description ?? "", reply.PicUrl ?? "", reply.Url ?? "")),
        "transfer" => TransferCustomerServiceReply.To(inbound, now, reply.KfAccount),
        _ => throw new InvalidOperationException($"Unknown reply type '{reply.Type}'."),
    }).ToXml();
}
