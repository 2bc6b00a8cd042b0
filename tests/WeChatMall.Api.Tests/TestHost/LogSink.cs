using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace WeChatMall.Api.Tests.TestHost;

/// <summary>Records every log event of a test host, to assert on what was logged (and how often).</summary>
public sealed class LogSink : ILoggerProvider
{
    public ConcurrentQueue<(string Category, EventId Id, LogLevel Level, string Message)> Events { get; } = new();

    public int Count(int eventId) => Events.Count(e => e.Id.Id == eventId);

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose() { }

    sealed class Logger(LogSink sink, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            => sink.Events.Enqueue((category, eventId, logLevel, formatter(state, exception)));
    }
}
