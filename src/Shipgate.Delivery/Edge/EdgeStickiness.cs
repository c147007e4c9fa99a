namespace Shipgate.Delivery.Edge;

/// <summary>
/// Sticky splitting: the release is chosen by hashing the named cookie's or header's value, so the same value
/// lands on the same release while the weights stay; without the cookie the edge picks at random and sets it.
/// </summary>
public sealed record EdgeStickiness
{
    /// <summary><c>cookie</c> or <c>header</c>.</summary>
    public required string Kind { get; init; }

    /// <summary>The cookie's or header's name, e.g. <c>shipgate-sticky</c> or <c>X-User-Id</c>.</summary>
    public required string Name { get; init; }
}
