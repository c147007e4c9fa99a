namespace Shipgate.Delivery.Edge;

/// <summary>A request whose header <see cref="Name"/> equals <see cref="Value"/> goes to <see cref="Version"/>.</summary>
public sealed record EdgeHeaderRoute(string Name, string Value, string Version);
