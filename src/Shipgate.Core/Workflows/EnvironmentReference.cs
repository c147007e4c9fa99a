namespace Shipgate.Core.Workflows;

/// <summary><c>environment:</c> a name, or {name, url}.</summary>
public sealed class EnvironmentReference
{
    public required ScalarToken Name { get; init; }

    public ScalarToken? Url { get; init; }
}
