namespace Shipgate.Storage.Audit;

/// <summary>Which audit entries to list, newest first: every filter set must match (null: any).</summary>
public sealed record AuditQuery
{
    /// <summary>The actor, exactly.</summary>
    public string? Actor { get; init; }

    /// <summary>The action, exactly (<c>deployment.promote</c>).</summary>
    public string? Action { get; init; }

    /// <summary>The start of the target (<c>project:web</c> matches <c>project:web/…</c>); LIKE wildcards in it are literal.</summary>
    public string? TargetPrefix { get; init; }

    /// <summary>At or after this time.</summary>
    public DateTimeOffset? From { get; init; }

    /// <summary>Before this time.</summary>
    public DateTimeOffset? To { get; init; }

    /// <summary>Only entries with a sequence below this one (the next page of a newest-first listing).</summary>
    public long? BeforeSequence { get; init; }

    /// <summary>At most this many (1 to 1000). Default 50.</summary>
    public int Limit { get; init; } = 50;
}
