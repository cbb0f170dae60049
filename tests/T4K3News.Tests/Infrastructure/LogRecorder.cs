using Microsoft.Extensions.Logging;

namespace T4K3News.Tests.Infrastructure;

/// <summary>
/// Keeps the server's warnings and errors (with their exceptions), for tests that wait for the server to have noticed
/// something.
/// </summary>
public sealed class LogRecorder : ILoggerProvider
{
    private readonly List<string> messages = [];

    public ILogger CreateLogger(string categoryName) => new Recorder(this);

    /// <summary>Waits until a warning or error containing <paramref name="text"/> is logged.</summary>
    public async Task WaitForAsync(string text, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!Contains(text))
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"The server logged no warning containing '{text}'.");
            await Task.Delay(50);
        }
    }

    public bool Contains(string text)
    {
        lock (messages)
            return messages.Any(message => message.Contains(text, StringComparison.Ordinal));
    }

    public void Dispose()
    {
    }

    private sealed class Recorder(LogRecorder recorder) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
                return;
            lock (recorder.messages)
                recorder.messages.Add(exception is null
                    ? formatter(state, exception)
                    : $"{formatter(state, exception)} {exception}");
        }
    }
}
