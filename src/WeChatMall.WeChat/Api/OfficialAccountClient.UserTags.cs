namespace WeChatMall.WeChat.Api;

public sealed partial class OfficialAccountClient
{
    /// <summary>Most openids one <c>tags/members/batchtagging</c> or <c>batchuntagging</c> call takes (40032 beyond).</summary>
    public const int MaxOpenIdsPerTagCall = 50;

    /// <summary><c>cgi-bin/tags/members/batchuntagging</c> for up to 50 openids (docs/wechat-protocol.md#tags).</summary>
    public Task UntagUsersAsync(long tagId, IReadOnlyCollection<string> openIds, CancellationToken ct)
    {
        if (openIds.Count is 0 or > MaxOpenIdsPerTagCall) throw new ArgumentException("1..50 openids per call.", nameof(openIds));
        return _api.PostAsync("cgi-bin/tags/members/batchuntagging", new { openid_list = openIds, tagid = tagId }, ct);
    }
}
