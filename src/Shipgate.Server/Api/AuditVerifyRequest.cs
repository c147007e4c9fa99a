namespace Shipgate.Server.Api;

/// <summary>
/// Checkpoints kept elsewhere (lines <c>SEQUENCE HASH MAC TIME</c> of a copied <c>audit.checkpoint</c>, or an
/// export's trailer) to verify the log against.
/// </summary>
public sealed record AuditVerifyRequest(string[] Checkpoints)
{
    /// <summary>How many checkpoints one request may carry (the newest lines of a long file are what counts).</summary>
    public const int MaxCheckpoints = 4000;
}
