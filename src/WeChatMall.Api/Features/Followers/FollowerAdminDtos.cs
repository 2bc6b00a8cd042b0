namespace WeChatMall.Api.Features.Followers;

public sealed record FollowerFilter(string? State, string? Channel, string? Query);

/// <summary>A follower as the console lists it; times UTC; MemberId when a member is bound to the openid.</summary>
public sealed record FollowerListItemDto
{
    public long Id { get; init; }
    public required string OpenId { get; init; }
    public required string State { get; init; }
    public string? Nickname { get; init; }
    public string? SourceChannel { get; init; }
    public string? LastChannel { get; init; }
    public DateTime? FirstSubscribedAt { get; init; }
    public DateTime? LastSubscribedAt { get; init; }
    public DateTime? UnsubscribedAt { get; init; }
    public DateTime? LastInteractionAt { get; init; }
    public long? MemberId { get; init; }
}

public sealed record FollowerPageDto(IReadOnlyList<FollowerListItemDto> Items, int Page, int PageSize, bool HasMore);
