using MySqlConnector;

namespace WeChatMall.Api.Infrastructure.Database;

/// <summary>MySQL cannot be reached or did not answer in time: the database is down, not the request wrong.</summary>
public static class DatabaseOutage
{
    public static bool Is(Exception ex) => ex switch
    {
        MySqlException m => m.IsTransient || m.ErrorCode is MySqlErrorCode.UnableToConnectToHost
            or MySqlErrorCode.CommandTimeoutExpired or MySqlErrorCode.ConnectionCountError,
        _ => ex.InnerException is { } inner && Is(inner),
    };
}
