namespace Shipgate.Delivery.Edge;

/// <summary>
/// Mirroring: a copy of <see cref="Permille"/> of the requests goes to <see cref="Version"/>, whose answers are
/// measured and thrown away; the client gets the primary answer, never slowed or failed by the copy.
/// </summary>
public sealed record EdgeMirrorSpec
{
    public required string Version { get; init; }

    /// <summary>Share of requests copied, 0 to 1000 per mille.</summary>
    public required int Permille { get; init; }

    /// <summary>Methods that are copied. Default the idempotent ones: GET, HEAD, OPTIONS.</summary>
    public IReadOnlyList<string> Methods { get; init; } = ["GET", "HEAD", "OPTIONS"];

    /// <summary>Largest request body copied, in bytes; a larger request is not copied. Default 1 MiB.</summary>
    public int MaxBodyBytes { get; init; } = 1 << 20;

    /// <summary>Compares each copy's answer with the primary's (the shadow strategy); null: copies are only measured.</summary>
    public EdgeMirrorCompare? Compare { get; init; }
}
