namespace Shipgate.Delivery.Edge;

/// <summary>Where an instance is in its life. Only <see cref="Healthy"/> instances take traffic.</summary>
public enum EdgeInstanceState
{
    /// <summary>Started, not yet passed a health check.</summary>
    Starting,
    Healthy,

    /// <summary>Passed before, failing now: out of routing until it passes again.</summary>
    Unhealthy,

    /// <summary>Exited; restarted after a backoff.</summary>
    Crashed,

    /// <summary>Out of routing, finishing its in-flight requests before it is stopped.</summary>
    Draining,
    Stopped,
}
