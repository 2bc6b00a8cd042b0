namespace WeChatMall.Api.Features.Followers;

/// <summary>
/// A <c>MASSSENDJOBFINISH</c> report as the follower log carries it (<see cref="FollowerEvent.Content"/> as JSON, the
/// job's msg_id in <see cref="FollowerEvent.MsgId"/>): WeChat's status and counts for one mass-send job.
/// </summary>
public sealed record MassJobReport(string Status, long TotalCount, long FilterCount, long SentCount, long ErrorCount);
