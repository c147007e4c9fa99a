namespace Shipgate.Delivery.Edge;

/// <summary>
/// <c>PUT /v1/services/{environment}/{service}/routing</c>: how requests for the service are split between its
/// releases. Replaced as a whole and applied atomically: a request sees the old split or the new one.
/// </summary>
public sealed record EdgeRoutingSpec
{
    /// <summary>
    /// Per-mille weight (0.1% precision) of each release by version; the weights add up to 1000. A release with a
    /// weight above 0 must have a healthy instance, or the change is refused (409) and nothing changes.
    /// </summary>
    public required IReadOnlyDictionary<string, int> Weights { get; init; }

    /// <summary>Keeps one client on one release across requests; null: each request is split at random.</summary>
    public EdgeStickiness? Sticky { get; init; }

    /// <summary>Copies a share of requests to another release (the shadow strategy); null: none.</summary>
    public EdgeMirrorSpec? Mirror { get; init; }

    /// <summary>Requests with a matching header go to the given release whatever the weights (canary header routes). Default none.</summary>
    public IReadOnlyList<EdgeHeaderRoute> HeaderRoutes { get; init; } = [];

    /// <summary>
    /// The release served on <c>preview.SERVICE.ENVIRONMENT.localhost</c> (blue-green's green before the switch);
    /// null: that host answers 404. Any release can also be pinned per request with <c>X-Shipgate-Version</c>.
    /// </summary>
    public string? Preview { get; init; }
}
