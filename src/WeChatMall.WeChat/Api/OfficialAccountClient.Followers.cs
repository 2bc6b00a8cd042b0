using System.Text.Json;

namespace WeChatMall.WeChat.Api;

public sealed partial class OfficialAccountClient
{
    /// <summary>
    /// <c>cgi-bin/user/get</c>: one page of up to 10,000 follower openids, starting after <paramref name="nextOpenId"/>
    /// (empty for the first page). The list ends with a page whose <see cref="FollowerPage.Count"/> is 0
    /// (developers.weixin.qq.com/doc/service/api/usermanage/userinfo/api_getfans).
    /// </summary>
    public async Task<FollowerPage> GetFollowerPageAsync(string? nextOpenId, CancellationToken ct)
    {
        var json = await _api.GetAsync("cgi-bin/user/get", ct, ("next_openid", nextOpenId ?? ""));
        IReadOnlyList<string> openIds = json.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object
            && data.TryGetProperty("openid", out var list) && list.ValueKind == JsonValueKind.Array
            ? [.. list.EnumerateArray().Select(o => o.GetString()).OfType<string>()] : [];
        return new FollowerPage(json.Long("total"), (int)json.Long("count"), openIds, json.Str("next_openid") ?? "");
    }
}

/// <summary>A page of <c>cgi-bin/user/get</c>: <see cref="NextOpenId"/> fetches the next page (docs/wechat-protocol.md#users).</summary>
public sealed record FollowerPage(long Total, int Count, IReadOnlyList<string> OpenIds, string NextOpenId);
