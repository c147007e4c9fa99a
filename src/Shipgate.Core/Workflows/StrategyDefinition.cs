namespace Shipgate.Core.Workflows;

/// <summary><c>strategy:</c>.</summary>
public sealed class StrategyDefinition
{
    /// <summary>A mapping of vectors with include/exclude, or one expression that yields such an object.</summary>
    public TemplateToken? Matrix { get; init; }

    /// <summary>A boolean or an expression; absent means true (GitHub's default).</summary>
    public ScalarToken? FailFast { get; init; }

    /// <summary>A number or an expression; absent means as many as the machine allows.</summary>
    public ScalarToken? MaxParallel { get; init; }
}
