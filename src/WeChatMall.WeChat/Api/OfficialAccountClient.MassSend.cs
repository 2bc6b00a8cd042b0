using System.Text.Json;

namespace WeChatMall.WeChat.Api;

public sealed partial class OfficialAccountClient
{
    /// <summary>
    /// <c>cgi-bin/message/mass/sendall</c> text to a tag (docs/wechat-protocol.md#mass-send). <paramref name="clientMsgId"/> makes the job
    /// idempotent for 24 h (45065 on reuse). Completion arrives as MASSSENDJOBFINISH.
    /// </summary>
    public Task<MassSendResult> SendMassTextByTagAsync(long tagId, string content, string? clientMsgId, CancellationToken ct)
        => MassSendAsync(new { filter = Filter(tagId), msgtype = "text", text = new { content }, clientmsgid = clientMsgId }, ct);

    /// <summary>Mass send of a published article (<c>mpnews</c>) to a tag (docs/wechat-protocol.md#mass-send).</summary>
    public Task<MassSendResult> SendMassNewsByTagAsync(long tagId, string mediaId, string? clientMsgId, CancellationToken ct)
        => MassSendAsync(new
        {
            filter = Filter(tagId), msgtype = "mpnews", mpnews = new { media_id = mediaId },
            send_ignore_reprint = 0, clientmsgid = clientMsgId,
        }, ct);

    static object Filter(long tagId) => new { is_to_all = false, tag_id = tagId };

    async Task<MassSendResult> MassSendAsync(object body, CancellationToken ct)
    {
        JsonElement json = await _api.PostAsync("cgi-bin/message/mass/sendall", body, ct);
        return new MassSendResult(json.Long("msg_id"), json.Long("msg_data_id"));
    }
}

/// <summary>The submitted mass-send job (docs/wechat-protocol.md#mass-send).</summary>
public sealed record MassSendResult(long MsgId, long MsgDataId);
