using Microsoft.Extensions.Logging;

namespace WeChatMall.WeChat.Pay;

// Request-ID is what WeChat Pay support asks for; bodies are never logged (they can hold openids and amounts).
static partial class Log
{
    [LoggerMessage(2101, LogLevel.Warning, "WeChat Pay {Method} {Path} failed: HTTP {Status} {Code}, Request-ID {RequestId}")]
    public static partial void CallFailed(ILogger logger, string method, string path, int status, string? code, string? requestId);

    [LoggerMessage(2102, LogLevel.Warning, "WeChat Pay {Method} {Path} response rejected: {Verification}, Request-ID {RequestId}")]
    public static partial void ResponseRejected(
        ILogger logger, string method, string path, SignatureVerifyResult verification, string? requestId);
}
