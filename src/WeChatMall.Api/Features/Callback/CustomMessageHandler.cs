using System.Text.Json;
using WeChatMall.Api.Features.AutoReplies;
using WeChatMall.Api.Infrastructure.Outbox;
using WeChatMall.WeChat.Api;

namespace WeChatMall.Api.Features.Callback;

public sealed record CustomMessage(string OpenId, ReplySpec Reply);

/// <summary>Sends an extra auto-reply through the customer-service message API (outbox kind <see cref="Kind"/>).</summary>
public sealed class CustomMessageHandler(OfficialAccountClient client) : IOutboxHandler
{
    public const string Kind = "wechat.custom_message";
    string IOutboxHandler.Kind => Kind;

    public async Task HandleAsync(string payloadJson, CancellationToken ct)
    {
        var message = JsonSerializer.Deserialize<CustomMessage>(payloadJson, JsonSerializerOptions.Web)
            ?? throw new OutboxPermanentFailure("Empty custom message payload.");
        var reply = message.Reply;
        try
        {
            await (reply.Type switch
            {
                "text" => client.SendCustomTextAsync(message.OpenId, reply.Content ?? "", ct),
                "image" => client.SendCustomImageAsync(message.OpenId, reply.MediaId ?? "", ct),
                "news" => client.SendCustomNewsAsync(message.OpenId,
                    new CustomNewsArticle(reply.Title ?? "", reply.Description ?? "", reply.Url ?? "", reply.PicUrl ?? ""), ct),
                _ => throw new OutboxPermanentFailure($"Reply type '{reply.Type}' cannot be sent as a customer-service message."),
            });
        }
        // 45015: outside the 48 h window or unfollowed; 40003: bad openid; 43004: not following. Retrying cannot help.
        catch (WeChatApiException ex) when (ex.Errcode is 45015 or 40003 or 43004 or 45047)
        {
            throw new OutboxPermanentFailure($"WeChat refused the customer-service message: {ex.Errcode} {ex.Errmsg}", ex);
        }
    }
}
