using Microsoft.Extensions.Logging;

namespace Shipgate.Edge.Proxy;

/// <summary>Hands the proxy's Kestrel host the edge's own loggers, so its warnings land in the edge's log.</summary>
internal sealed class LoggerFactoryProvider(ILoggerFactory factory) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => factory.CreateLogger(categoryName);

    public void Dispose()
    {
    }
}
