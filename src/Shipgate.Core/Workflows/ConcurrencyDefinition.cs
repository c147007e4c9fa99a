namespace Shipgate.Core.Workflows;

/// <summary><c>concurrency</c>: a group name, or a mapping with group and cancel-in-progress.</summary>
public sealed class ConcurrencyDefinition
{
    public required ScalarToken Group { get; init; }

    /// <summary>A boolean or an expression; absent means false.</summary>
    public ScalarToken? CancelInProgress { get; init; }
}
