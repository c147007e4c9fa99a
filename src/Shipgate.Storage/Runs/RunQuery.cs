namespace Shipgate.Storage.Runs;

/// <summary>Which runs to list, newest first, a page at a time (pass the last id seen as <see cref="BeforeId"/>).</summary>
public sealed record RunQuery
{
    public long? ProjectId { get; init; }

    public RunStatus? Status { get; init; }

    public string? ConcurrencyGroup { get; init; }

    /// <summary>Only runs of this commit.</summary>
    public string? Sha { get; init; }

    /// <summary>Only runs with a smaller id (the next page).</summary>
    public long? BeforeId { get; init; }

    /// <summary>At most this many (1 to 1000). Default 50.</summary>
    public int Limit { get; init; } = 50;
}
