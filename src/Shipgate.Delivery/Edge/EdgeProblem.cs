namespace Shipgate.Delivery.Edge;

/// <summary>The body of every refusal of the admin API: one sentence.</summary>
public sealed record EdgeProblem(string Error);
