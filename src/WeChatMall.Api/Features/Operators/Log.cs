namespace WeChatMall.Api.Features.Operators;

static partial class Log
{
    [LoggerMessage(16001, LogLevel.Warning, "Operator session store unavailable ({Error}): console requests answer 503")]
    public static partial void SessionStoreUnavailable(ILogger logger, string error);

    [LoggerMessage(16002, LogLevel.Error, "ALARM audit entry for {Action} ({Status}) could not be written")]
    public static partial void AuditWriteFailed(ILogger logger, Exception ex, string action, int status);

    [LoggerMessage(16003, LogLevel.Information, "Operator {OperatorId} created with role {Role}")]
    public static partial void OperatorCreated(ILogger logger, long operatorId, string role);
}
