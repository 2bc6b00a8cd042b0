namespace WeChatMall.Api.Features.Journeys;

static partial class Log
{
    [LoggerMessage(18101, LogLevel.Information, "Journey {JourneyId}: member {MemberId} had already passed step {Step} (another worker); left as it is")]
    public static partial void StepAlreadyPassed(ILogger logger, long journeyId, long memberId, int step);

    [LoggerMessage(18102, LogLevel.Information, "Journey {JourneyId}: {Count} members entered")]
    public static partial void Entered(ILogger logger, long journeyId, int count);

    [LoggerMessage(18103, LogLevel.Information, "Journey {JourneyId}: {Count} members left on reaching the goal")]
    public static partial void GoalReached(ILogger logger, long journeyId, int count);

    [LoggerMessage(18104, LogLevel.Information, "Journey {JourneyId} is now {Status}")]
    public static partial void Moved(ILogger logger, long journeyId, string status);
}
