using Shipgate.Delivery.Edge;

namespace Shipgate.Edge.Hosting;

/// <summary>
/// Attaches to the local edge of a state directory, or starts <c>shipgate edge</c> as a detached process of its own
/// (its own session, outliving the caller). Skeleton: filled by the edge process work.
/// </summary>
public static class EdgeLauncher
{
    /// <summary>The running edge's connection, starting one first when none answers.</summary>
    public static Task<EdgeConnection> EnsureRunningAsync(EdgeLaunchOptions options, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("Starting an edge is not built yet: " + options.StateDirectory);
}
