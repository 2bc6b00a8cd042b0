namespace WeChatMall.Api.Infrastructure.Outbox;

/// <summary>Sends one kind of outbox message. Throwing means "retry later"; see <see cref="OutboxPermanentFailure"/>.</summary>
public interface IOutboxHandler
{
    string Kind { get; }
    Task HandleAsync(string payloadJson, CancellationToken ct);
}

/// <summary>A failure that retrying cannot fix (e.g. the follower has unsubscribed): the row goes dead at once.</summary>
public sealed class OutboxPermanentFailure(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// The message is deliberately not sent (e.g. the member has no subscribe credit): the row ends 'skipped' with the
/// reason in last_error, neither retried nor alarmed.
/// </summary>
public sealed class OutboxSkipped(string reason) : Exception(reason)
{
    public string Reason { get; } = reason;
}
