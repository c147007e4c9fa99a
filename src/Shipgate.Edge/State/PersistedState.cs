namespace Shipgate.Edge.State;

/// <summary>The edge's desired state as written to <c>STATE/state.json</c>: every service with its releases and instances.</summary>
internal sealed record PersistedState
{
    public List<PersistedService> Services { get; init; } = [];
}
