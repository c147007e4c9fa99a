using Shipgate.Delivery.Edge;

namespace Shipgate.Edge.Supervisor;

/// <summary>A service in one environment as the supervisor holds it. Changed only under the supervisor's lock.</summary>
internal sealed class ServiceEntry(string environment, string service, EdgeServiceSpec spec)
{
    public string Environment { get; } = environment;

    public string Service { get; } = service;

    /// <summary>Replaced whole; instances read it for each health check.</summary>
    public EdgeServiceSpec Spec { get; set; } = spec;

    public EdgeRoutingSpec? Routing { get; set; }

    public List<ReleaseEntry> Releases { get; } = [];

    /// <summary>True while it is being deleted: out of routing, its instances stopping.</summary>
    public bool Removing { get; set; }

    /// <summary>The host names it answers besides preview: <c>SERVICE.ENVIRONMENT.localhost</c> and the claimed ones.</summary>
    public IEnumerable<string> Hosts => [$"{Service}.{Environment}.localhost", .. Spec.Hosts];

    public ReleaseEntry? Find(string version) => Releases.FirstOrDefault(r => r.Version == version);
}
