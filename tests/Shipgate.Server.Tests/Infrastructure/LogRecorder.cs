using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Shipgate.Server.Tests.Infrastructure;

/// <summary>A logger provider that keeps every entry the server logs, for tests that count what was logged.</summary>
internal sealed class LogRecorder : ILoggerProvider
{
    private readonly ConcurrentQueue<(EventId EventId, string Message)> _entries = new();

    /// <summary>The entries logged with event id <paramref name="eventId"/>.</summary>
    public IReadOnlyList<string> With(int eventId) => [.. _entries.Where(e => e.EventId.Id == eventId).Select(e => e.Message)];

    public ILogger CreateLogger(string categoryName) => new Recorder(_entries);

    public void Dispose()
    {
    }

    private sealed class Recorder(ConcurrentQueue<(EventId, string)> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            entries.Enqueue((eventId, formatter(state, exception)));
    }
}
