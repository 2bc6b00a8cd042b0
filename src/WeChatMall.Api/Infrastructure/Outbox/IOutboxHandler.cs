namespace WeChatMall.Api.Infrastructure.Outbox;

/// <summary>Sends one kind of outbox message. Throwing means "retry later"; see <see cref="OutboxPermanentFailure"/>.</summary>
public interface IOutboxHandler
{
    string Kind { get; }
    Task HandleAsync(string payloadJson, CancellationToken ct);
}

/// <summary>A failure that retrying cannot fix (e.g. the follower has unsubscribed): the row goes dead at once.</summary>
public sealed class OutboxPermanentFailure(string message, Exception? inner = null) : Exception(message, inner);
