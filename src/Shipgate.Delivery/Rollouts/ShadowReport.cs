using System.Globalization;
using Shipgate.Delivery.Configuration;
using Shipgate.Delivery.Edge;

namespace Shipgate.Delivery.Rollouts;

/// <summary>
/// A shadow phase's comparison so far: the edge's counts since the phase began, the limit they are held to, and the
/// latest mismatching pairs (masked by the edge). Kept on the deployment with its progress.
/// </summary>
public sealed record ShadowReport
{
    /// <summary>What is compared, for people: <c>status, body on /api/**</c>.</summary>
    public required string Compares { get; init; }

    public required double MaxMismatch { get; init; }

    public required int MinRequests { get; init; }

    public long Compared { get; init; }

    public long Mismatched { get; init; }

    public long StatusMismatches { get; init; }

    public long LatencyMismatches { get; init; }

    public long BodyMismatches { get; init; }

    public long NotCompared { get; init; }

    public double MismatchRate => Compared == 0 ? 0 : (double)Mismatched / Compared;

    /// <summary>The phase's latest mismatching pairs, newest last.</summary>
    public IReadOnlyList<EdgeMirrorExample> Examples { get; init; } = [];

    /// <summary>The phase's counts: <paramref name="now"/> less <paramref name="before"/> (the edge's cumulative counters at its start).</summary>
    public static ShadowReport Between(ShadowComparison compare, EdgeMirrorComparison? before, EdgeMirrorComparison? now)
    {
        var since = before?.Examples.Count > 0 ? before.Examples.Max(e => e.At) : DateTimeOffset.MinValue;
        return new ShadowReport
        {
            Compares = compare.Describe(),
            MaxMismatch = compare.MaxMismatch,
            MinRequests = compare.MinRequests,
            Compared = (now?.Compared ?? 0) - (before?.Compared ?? 0),
            Mismatched = (now?.Mismatched ?? 0) - (before?.Mismatched ?? 0),
            StatusMismatches = (now?.StatusMismatches ?? 0) - (before?.StatusMismatches ?? 0),
            LatencyMismatches = (now?.LatencyMismatches ?? 0) - (before?.LatencyMismatches ?? 0),
            BodyMismatches = (now?.BodyMismatches ?? 0) - (before?.BodyMismatches ?? 0),
            NotCompared = (now?.NotCompared ?? 0) - (before?.NotCompared ?? 0),
            Examples = [.. (now?.Examples ?? []).Where(e => e.At > since)],
        };
    }

    /// <summary>Over the limit: enough pairs compared, and more of them differed than allowed.</summary>
    public bool OverLimit => Compared >= MinRequests && MismatchRate > MaxMismatch;

    /// <summary><c>12 of 40 compared answers differed (30%; max-mismatch 1%): body 12</c>.</summary>
    public string Summary()
    {
        var kinds = string.Join(", ", new[] { ("status", StatusMismatches), ("latency", LatencyMismatches), ("body", BodyMismatches) }
            .Where(k => k.Item2 > 0)
            .Select(k => string.Create(CultureInfo.InvariantCulture, $"{k.Item1} {k.Item2}")));
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{Mismatched} of {Compared} compared answers differed ({MismatchRate * 100:0.##}%; max-mismatch {MaxMismatch * 100:0.##}%){(kinds.Length > 0 ? ": " + kinds : "")}");
    }

    /// <summary>One example in a line: <c>GET /hello: body differs at $.greeting (200 vs 200)</c>.</summary>
    public static string Describe(EdgeMirrorExample example)
    {
        var mirror = example.MirrorStatus?.ToString(CultureInfo.InvariantCulture) ?? "no answer";
        var what = string.Join(", ", example.Differences.Select(d => d switch
        {
            "body" when example.BodyDifference is { } at => $"body differs at {at}",
            "latency" => string.Create(CultureInfo.InvariantCulture, $"latency {example.MirrorMillis:0.#} ms vs {example.PrimaryMillis:0.#} ms"),
            "status" => $"status {mirror} vs {example.PrimaryStatus.ToString(CultureInfo.InvariantCulture)}",
            _ => d,
        }));
        return $"{example.Method} {example.Path}: {what} (new vs stable)";
    }
}
