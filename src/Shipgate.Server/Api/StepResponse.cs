namespace Shipgate.Server.Api;

/// <summary>A step of a job.</summary>
public sealed record StepResponse(int Number, string Name, string Status, string? Conclusion, string? Reason);
