namespace Shipgate.Delivery.Gates;

/// <summary>
/// One number a gate based its answer on, recorded with the decision (approvals 1 of 2, seconds left,
/// later an error rate or a p-value). <paramref name="Unit"/> is for people: "s", "%", or null for a count.
/// </summary>
public sealed record GateNumber(string Name, double Value, string? Unit = null);
