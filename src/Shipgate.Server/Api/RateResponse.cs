namespace Shipgate.Server.Api;

/// <summary><see cref="Count"/> of <see cref="Of"/>, and the share it is (0 to 1).</summary>
public sealed record RateResponse(int Count, int Of, double Rate);
