namespace Shipgate.Flags.Document;

/// <summary>
/// A sticky percentage rollout over variants, as Unleash's flexible rollout: a context is in when
/// <c>murmur3("{groupId}:{stickiness value}", 0) % 100 + 1 &lt;= percentage</c>, and then gets a variant by weight.
/// </summary>
public sealed class FlagRollout
{
    /// <summary>The share of contexts in the rollout, 0 to 100.</summary>
    public double? Percentage { get; set; }

    /// <summary>Hashed with the stickiness value; the flag key when absent, so flags bucket independently.</summary>
    public string? GroupId { get; set; }

    /// <summary><c>default</c> (userId, then sessionId, then random), <c>random</c>, or the context attribute to hash.</summary>
    public string? Stickiness { get; set; }

    /// <summary>The variants served to contexts in the rollout, with weights out of 1000.</summary>
    public List<FlagRolloutVariant>? Variants { get; set; }
}
