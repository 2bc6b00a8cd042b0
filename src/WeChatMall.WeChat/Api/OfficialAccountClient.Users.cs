using System.Text.Json;

namespace WeChatMall.WeChat.Api;

public sealed partial class OfficialAccountClient
{
    /// <summary><c>cgi-bin/user/info</c> (docs/wechat-protocol.md#users). A non-follower comes back with Subscribed=false and little else.</summary>
    public async Task<FollowerInfo> GetUserInfoAsync(string openId, CancellationToken ct, string lang = "zh_CN")
        => ToFollower(await _api.GetAsync("cgi-bin/user/info", ct, ("openid", openId), ("lang", lang)));

    /// <summary><c>cgi-bin/user/info/batchget</c> for up to 100 openids (docs/wechat-protocol.md#users).</summary>
    public async Task<IReadOnlyList<FollowerInfo>> BatchGetUserInfoAsync(IReadOnlyCollection<string> openIds, CancellationToken ct, string lang = "zh_CN")
    {
        if (openIds.Count is 0 or > 100) throw new ArgumentException("1..100 openids per call.", nameof(openIds));
        var json = await _api.PostAsync("cgi-bin/user/info/batchget",
            new { user_list = openIds.Select(o => new { openid = o, lang }).ToArray() }, ct);
        return json.TryGetProperty("user_info_list", out var list) && list.ValueKind == JsonValueKind.Array
            ? list.EnumerateArray().Select(ToFollower).ToArray() : [];
    }

    /// <summary><c>cgi-bin/tags/create</c>; returns the new tag id (docs/wechat-protocol.md#tags).</summary>
    public async Task<long> CreateTagAsync(string name, CancellationToken ct)
    {
        if (name is not { Length: >= 1 and <= 30 }) throw new ArgumentException("Tag names are 1..30 characters.", nameof(name));
        var json = await _api.PostAsync("cgi-bin/tags/create", new { tag = new { name } }, ct);
        return json.TryGetProperty("tag", out var tag) ? tag.Long("id") : 0;
    }

    /// <summary><c>cgi-bin/tags/members/batchtagging</c> for up to 50 openids (docs/wechat-protocol.md#tags).</summary>
    public Task TagUsersAsync(long tagId, IReadOnlyCollection<string> openIds, CancellationToken ct)
    {
        if (openIds.Count is 0 or > 50) throw new ArgumentException("1..50 openids per call.", nameof(openIds));
        return _api.PostAsync("cgi-bin/tags/members/batchtagging", new { openid_list = openIds, tagid = tagId }, ct);
    }

    static FollowerInfo ToFollower(JsonElement u) => new(
        u.Long("subscribe") == 1, u.Str("openid") ?? "", u.Str("unionid"), u.Long("subscribe_time"), u.Str("language"),
        u.Str("remark"), u.Longs("tagid_list"), u.Str("subscribe_scene"), u.Long("qr_scene"), u.Str("qr_scene_str"));
}

/// <summary>A follower's profile from <c>cgi-bin/user/info</c> (docs/wechat-protocol.md#users; no nickname/avatar since 2021-12).</summary>
public sealed record FollowerInfo(bool Subscribed, string OpenId, string? UnionId, long SubscribeTime, string? Language,
    string? Remark, IReadOnlyList<long> TagIds, string? SubscribeScene, long QrScene, string? QrSceneStr);
