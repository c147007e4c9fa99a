namespace Shipgate.Delivery.Configuration;

/// <summary>
/// How a shadow phase judges the new release: the edge compares each mirrored answer with stable's answer to the same
/// request (<see cref="Status"/>, <see cref="LatencyRatio"/>, bodies on <see cref="BodyPaths"/>), and the phase holds
/// the release back once at least <see cref="MinRequests"/> pairs were compared and more than
/// <see cref="MaxMismatch"/> of them differed.
/// </summary>
public sealed record ShadowComparison
{
    /// <summary>The largest share of compared pairs that may differ, a fraction. Default 0.01 (1%).</summary>
    public double MaxMismatch { get; init; } = 0.01;

    /// <summary>Pairs to compare before the rate counts; fewer at the end of the phase is inconclusive. Default 100.</summary>
    public int MinRequests { get; init; } = 100;

    /// <summary>What fewer than <see cref="MinRequests"/> compared pairs at the end does. Default pause (a person decides).</summary>
    public InconclusivePolicy OnInconclusive { get; init; } = InconclusivePolicy.Pause;

    /// <summary>The status class must agree (<c>compare: [status]</c>, the default).</summary>
    public bool Status { get; init; } = true;

    /// <summary>A mirrored answer slower than this many times stable's differs; null: latency is not compared.</summary>
    public double? LatencyRatio { get; init; }

    /// <summary>Path patterns whose bodies are compared (<c>/**</c>: every route); empty: bodies are not compared.</summary>
    public IReadOnlyList<string> BodyPaths { get; init; } = [];

    /// <summary>JSON fields left out of the body comparison: a name at any depth, or a <c>$.a.b</c> path.</summary>
    public IReadOnlyList<string> IgnoreFields { get; init; } = [];

    /// <summary>What is compared, for people: <c>status, latency (2×), body on /api/**</c>.</summary>
    public string Describe() => string.Join(", ", new[]
    {
        Status ? "status" : null,
        LatencyRatio is { } ratio ? $"latency ({ratio:0.##}×)" : null,
        BodyPaths.Count > 0 ? $"body on {string.Join(" ", BodyPaths)}" + (IgnoreFields.Count > 0 ? $" ignoring {string.Join(" ", IgnoreFields)}" : "") : null,
    }.Where(s => s is not null));
}
