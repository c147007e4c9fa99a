namespace Shipgate.Core.Workflows;

/// <summary><c>defaults.run</c>.</summary>
public sealed class RunDefaults
{
    public ScalarToken? Shell { get; init; }

    public ScalarToken? WorkingDirectory { get; init; }
}
