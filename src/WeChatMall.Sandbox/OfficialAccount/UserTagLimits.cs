namespace WeChatMall.Sandbox.OfficialAccount;

/// <summary>
/// WeChat's user-tag limits (developers.weixin.qq.com/doc/offiaccount/User_Management/User_Tag_Management.html):
/// 100 tags per account (45056 on tags/create), 20 tags per user (45059 on batchtagging: the whole call is refused).
/// </summary>
public static class UserTagLimits
{
    public const int TagsPerAccount = 100;
    public const int TagsPerUser = 20;
    public const int TooManyAccountTags = 45056;
    public const int TooManyUserTags = 45059;

    /// <summary>The error to answer tags/create with, or null when another tag fits.</summary>
    public static int? RefuseCreate(FollowerRegistry followers) =>
        followers.Tags().Count >= TagsPerAccount ? TooManyAccountTags : null;

    /// <summary>The error to answer batchtagging with, or null when every user can take the tag.</summary>
    public static int? RefuseTagging(FollowerRegistry followers, int tagId, IEnumerable<string> openIds) =>
        openIds.Any(o => followers.Find(o) is { } f && !f.TagIds.Contains(tagId) && f.TagIds.Count >= TagsPerUser) ? TooManyUserTags : null;
}
