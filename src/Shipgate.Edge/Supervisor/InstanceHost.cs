using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Shipgate.Edge.Routing;

namespace Shipgate.Edge.Supervisor;

/// <summary>What the instances share: the launcher, the router, the health client, the state directory's layout.</summary>
internal sealed class InstanceHost(string stateDirectory, InstanceLauncher launcher, EdgeRouter router, TimeProvider time, ILogger log, Action<bool> changed)
{
    public InstanceLauncher Launcher { get; } = launcher;

    public EdgeRouter Router { get; } = router;

    public TimeProvider Time { get; } = time;

    public ILogger Log { get; } = log;

    /// <summary>Health checks: no proxy, no connection reuse across instances' restarts (a fresh port each start).</summary>
    public HttpClient Health { get; } = new(new SocketsHttpHandler { UseProxy = false, PooledConnectionLifetime = TimeSpan.FromSeconds(30) })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };

    /// <summary>Republishes routing and, when <c>persist</c>, writes the state file.</summary>
    public void Changed(bool persist) => changed(persist);

    public string LogFile(ServiceEntry service, string instanceId) =>
        Path.Combine(stateDirectory, "logs", service.Environment, service.Service, instanceId + ".log");

    /// <summary>The instance's own writable HOME and TMPDIR live here.</summary>
    public string InstanceDirectory(ServiceEntry service, string instanceId) =>
        Path.Combine(stateDirectory, "instances", service.Environment, service.Service, instanceId);

    /// <summary>A port on 127.0.0.1 free now (the kernel's choice, so two instances do not race for one).</summary>
    public int FreePort()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)listener.LocalEndPoint!).Port;
    }
}
