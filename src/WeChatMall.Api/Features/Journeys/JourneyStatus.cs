namespace WeChatMall.Api.Features.Journeys;

public static class JourneyStatus
{
    public const string Draft = "draft";
    public const string Active = "active";
    public const string Paused = "paused";
    public const string Archived = "archived";
}

/// <summary>Where a member stands in a journey (journey_members.state).</summary>
public static class JourneyMemberState
{
    public const string Active = "active";
    public const string Completed = "completed";
    public const string ExitedGoal = "exited_goal";
    public const string ExitedBranch = "exited_branch";
}
