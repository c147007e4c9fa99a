namespace Shipgate.Delivery.Analysis;

/// <summary>What a canary analysis compares: the new release against the stable one of one service in one environment.</summary>
public sealed record CanarySubject(string Environment, string Service, string StableVersion, string CanaryVersion);
