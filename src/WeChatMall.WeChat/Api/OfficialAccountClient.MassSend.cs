using System.Text.Json;

namespace WeChatMall.WeChat.Api;

public sealed partial class OfficialAccountClient
{
    /// <summary>At least this many openids per <c>message/mass/send</c> call (WeChat answers 40130 otherwise).</summary>
    public const int MassMinOpenIds = 2;

    /// <summary>At most this many openids per <c>message/mass/send</c> call.</summary>
    public const int MassMaxOpenIds = 10_000;

    /// <summary>
    /// <c>cgi-bin/message/mass/sendall</c> text to a tag (docs/wechat-protocol.md#mass-send). <paramref name="clientMsgId"/> makes the job
    /// idempotent for 24 h (45065 on reuse). Completion arrives as MASSSENDJOBFINISH.
    /// </summary>
    public Task<MassSendResult> SendMassTextByTagAsync(long tagId, string content, string? clientMsgId, CancellationToken ct)
        => SendMassByTagAsync(tagId, MassContent.Text(content), clientMsgId, ct);

    /// <summary>Mass send of a published article (<c>mpnews</c>) to a tag (docs/wechat-protocol.md#mass-send).</summary>
    public Task<MassSendResult> SendMassNewsByTagAsync(long tagId, string mediaId, string? clientMsgId, CancellationToken ct)
        => SendMassByTagAsync(tagId, MassContent.News(mediaId), clientMsgId, ct);

    /// <summary>
    /// <c>cgi-bin/message/mass/sendall</c> to the followers carrying a WeChat tag
    /// (developers.weixin.qq.com/doc/offiaccount/Message_Management/Batch_Sends_and_Originality_Checks.html).
    /// </summary>
    public Task<MassSendResult> SendMassByTagAsync(long tagId, MassContent content, string? clientMsgId, CancellationToken ct)
        => MassSendAsync("cgi-bin/message/mass/sendall", content.Body(new() { ["filter"] = new { is_to_all = false, tag_id = tagId } }, clientMsgId), ct);

    /// <summary>
    /// <c>cgi-bin/message/mass/send</c> to a list of 2–10,000 openids (same page). One message for all: nothing in it
    /// can be personal. <paramref name="clientMsgId"/> (≤ 64 bytes) makes the call idempotent for 24 h: WeChat answers
    /// 45065 to a repeat instead of sending again.
    /// </summary>
    public Task<MassSendResult> SendMassToOpenIdsAsync(IReadOnlyList<string> openIds, MassContent content, string? clientMsgId, CancellationToken ct)
    {
        if (openIds.Count is < MassMinOpenIds or > MassMaxOpenIds)
            throw new ArgumentOutOfRangeException(nameof(openIds), openIds.Count, $"mass/send takes {MassMinOpenIds} to {MassMaxOpenIds} openids");
        return MassSendAsync("cgi-bin/message/mass/send", content.Body(new() { ["touser"] = openIds }, clientMsgId), ct);
    }

    /// <summary>
    /// <c>cgi-bin/message/mass/preview</c>: the mass message to one follower (<paramref name="openId"/>, an OA openid), to see
    /// it as followers will (same page). A preview does not count toward the follower's monthly cap and has a daily limit
    /// of its own (45009 once spent); it is no job: no MASSSENDJOBFINISH follows. Returns WeChat's msg_id.
    /// </summary>
    public async Task<long> PreviewMassAsync(string openId, MassContent content, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrEmpty(openId);
        JsonElement json = await _api.PostAsync("cgi-bin/message/mass/preview", content.Body(new() { ["touser"] = openId }, null), ct);
        return json.TryGetProperty("msg_id", out var id) && id.ValueKind == JsonValueKind.Number ? id.GetInt64() : 0;
    }

    async Task<MassSendResult> MassSendAsync(string path, object body, CancellationToken ct)
    {
        JsonElement json;
        try
        {
            json = await _api.PostAsync(path, body, ct);
        }
        catch (WeChatApiException e) when (e.Errcode == ClientMsgIdUsed && e.Response is { } answer
                                          && answer.TryGetProperty("msg_id", out var earlier) && earlier.ValueKind == JsonValueKind.Number)
        {
            // The clientmsgid was sent within 24 h: WeChat refuses the repeat and names the job it already took, whose
            // MASSSENDJOBFINISH reports under that msg_id.
            return new MassSendResult(earlier.GetInt64(), answer.TryGetProperty("msg_data_id", out var d) && d.ValueKind == JsonValueKind.Number ? d.GetInt64() : 0,
                Repeated: true);
        }
        return new MassSendResult(json.Long("msg_id"), json.Long("msg_data_id"));
    }

    /// <summary>45065: this clientmsgid was used within 24 hours.</summary>
    public const int ClientMsgIdUsed = 45065;
}

/// <summary>
/// The submitted mass-send job (docs/wechat-protocol.md#mass-send). <paramref name="Repeated"/>: WeChat answered 45065,
/// the clientmsgid's job was already taken (nothing was sent again) and <paramref name="MsgId"/> is that earlier job's.
/// </summary>
public sealed record MassSendResult(long MsgId, long MsgDataId, bool Repeated = false);

/// <summary>What a mass send carries: text, an image or a published article (<c>mpnews</c>) by its media_id.</summary>
public sealed record MassContent(string MsgType, string Value)
{
    public static MassContent Text(string content) => new("text", content);
    public static MassContent Image(string mediaId) => new("image", mediaId);
    public static MassContent News(string mediaId) => new("mpnews", mediaId);

    internal Dictionary<string, object?> Body(Dictionary<string, object?> target, string? clientMsgId)
    {
        target["msgtype"] = MsgType;
        target[MsgType] = MsgType == "text" ? new { content = Value } : new { media_id = Value };
        if (MsgType == "mpnews") target["send_ignore_reprint"] = 0;
        if (clientMsgId is not null) target["clientmsgid"] = clientMsgId;
        return target;
    }
}
