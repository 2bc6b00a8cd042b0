namespace WeChatMall.Api.Features.Members;

/// <summary>
/// A session lookup made before authentication ran (the sold-out shortcut asks Redis when its memory does not know the
/// token), kept on the request so the "Member" scheme uses its outcome instead of asking Redis a second time.
/// </summary>
public sealed record SessionLookup(string Token, long? MemberId, Exception? Failure);
