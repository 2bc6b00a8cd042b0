using WeChatMall.Api.Features.Followers;

namespace WeChatMall.Api.Features.Callback;

/// <summary>What a handled callback leaves behind: the follower event and the extra replies to send via the outbox.</summary>
public sealed record RecordedCallback(FollowerEvent Event, IReadOnlyList<CustomMessage> Extras);
