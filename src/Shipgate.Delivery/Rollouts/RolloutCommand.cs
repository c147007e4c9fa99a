namespace Shipgate.Delivery.Rollouts;

/// <summary>A verb given to a running rollout, with who gave it.</summary>
public sealed record RolloutCommand(RolloutVerb Verb, string Actor);
