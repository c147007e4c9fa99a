namespace Shipgate.Server.Flags;

/// <summary>
/// The outcome of one edit of an environment's flags: the flag as it is now (null when deleted), or the HTTP status and
/// one sentence saying why nothing changed.
/// </summary>
internal sealed record FlagEditResult(int Status, string? Error, string? FlagJson)
{
    public bool Succeeded => Error is null;
}
