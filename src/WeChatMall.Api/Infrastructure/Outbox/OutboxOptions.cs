using System.ComponentModel.DataAnnotations;

namespace WeChatMall.Api.Infrastructure.Outbox;

public sealed class OutboxOptions
{
    public const string SectionName = "Outbox";

    /// <summary>Run the sender in this instance (every instance may; rows are claimed safely).</summary>
    public bool Enabled { get; set; } = true;

    [Range(50, 60_000)] public int PollIntervalMs { get; set; } = 500;
    [Range(1, 500)] public int BatchSize { get; set; } = 20;
    [Range(1, 100)] public int MaxAttempts { get; set; } = 8;
    /// <summary>
    /// A claimed row whose sender died becomes claimable again after this long. Each row's lease is taken again just
    /// before its send and renewed every third of this while the send runs.
    /// </summary>
    [Range(5, 3600)] public int ClaimSeconds { get; set; } = 60;
}
