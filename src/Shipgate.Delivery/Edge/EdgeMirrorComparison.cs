namespace Shipgate.Delivery.Edge;

/// <summary>
/// The edge's comparison of a release's mirrored answers with the primary answers, cumulative like the other
/// counters (a window is the difference of two snapshots), with the latest mismatching examples.
/// </summary>
public sealed record EdgeMirrorComparison
{
    /// <summary>Pairs compared: the primary answered and the copy answered, failed or timed out.</summary>
    public long Compared { get; init; }

    /// <summary>Compared pairs that differed in at least one enabled way.</summary>
    public long Mismatched { get; init; }

    public long StatusMismatches { get; init; }

    public long LatencyMismatches { get; init; }

    public long BodyMismatches { get; init; }

    /// <summary>Copies not compared: the primary failed or was abandoned, or a body was over the bound.</summary>
    public long NotCompared { get; init; }

    /// <summary>The latest mismatching pairs, newest last (at most 20), masked.</summary>
    public IReadOnlyList<EdgeMirrorExample> Examples { get; init; } = [];
}

/// <summary>
/// One mismatching pair as the edge saw it, masked: the query's values, JSON properties whose names look secret
/// (containing password, passwd, secret, token, api-key, authorization, cookie, session or credential, any case), and
/// the values of the service's releases' variables (8 characters or more, or any under a secret-looking name) read
/// <c>***</c>; no request headers are kept; bodies are cut at 2,048 characters (docs/edge.md, "Comparing answers").
/// </summary>
public sealed record EdgeMirrorExample
{
    public required DateTimeOffset At { get; init; }

    public required string Method { get; init; }

    /// <summary>The path and query, the query's values masked.</summary>
    public required string Path { get; init; }

    /// <summary>What differed: <c>status</c>, <c>latency</c>, <c>body</c>.</summary>
    public required IReadOnlyList<string> Differences { get; init; }

    public required int PrimaryStatus { get; init; }

    /// <summary>The copy's status; null when it got no answer or timed out.</summary>
    public int? MirrorStatus { get; init; }

    public required double PrimaryMillis { get; init; }

    public required double MirrorMillis { get; init; }

    /// <summary>Where the bodies first differ (<c>$.greeting</c>, or a byte offset); null when they agree or were not compared.</summary>
    public string? BodyDifference { get; init; }

    public string? PrimaryBody { get; init; }

    public string? MirrorBody { get; init; }
}
