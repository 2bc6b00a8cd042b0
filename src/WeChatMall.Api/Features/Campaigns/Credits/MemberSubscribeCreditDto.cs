namespace WeChatMall.Api.Features.Campaigns.Credits;

/// <summary>
/// A member's subscribe-message credits for one template (docs/campaigns.md#subscribe-credits). Title: the template's,
/// when the registry has synced it. LastReason: the last change (popup_accept, client_accept, send, send_refund, …);
/// UpdatedAt UTC.
/// </summary>
public sealed record MemberSubscribeCreditDto(string TemplateId, string? Title, int Credits, DateTime UpdatedAt, string? LastReason);
