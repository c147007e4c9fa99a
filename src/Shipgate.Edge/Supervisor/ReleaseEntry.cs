using Shipgate.Delivery.Edge;

namespace Shipgate.Edge.Supervisor;

/// <summary>A release of a service and its instances. Changed only under the supervisor's lock.</summary>
internal sealed class ReleaseEntry(string version, EdgeReleaseSpec spec, string directory, DateTimeOffset declaredAt)
{
    public string Version { get; } = version;

    public EdgeReleaseSpec Spec { get; set; } = spec;

    /// <summary>The unpacked artifact the instances run in.</summary>
    public string Directory { get; } = directory;

    public DateTimeOffset DeclaredAt { get; } = declaredAt;

    public List<Instance> Instances { get; } = [];

    /// <summary>True while it is being deleted: out of routing, its instances stopping.</summary>
    public bool Removing { get; set; }
}
