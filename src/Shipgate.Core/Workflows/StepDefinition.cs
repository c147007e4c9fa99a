using Shipgate.Core.Diagnostics;

namespace Shipgate.Core.Workflows;

/// <summary>One entry of a job's <c>steps:</c>.</summary>
public sealed class StepDefinition
{
    /// <summary>0-based position in the job.</summary>
    public required int Index { get; init; }

    public required SourceLocation Location { get; init; }

    public string? Id { get; init; }

    /// <summary>The <c>id:</c> as written, with its position.</summary>
    public ScalarToken? IdToken { get; init; }

    public ScalarToken? Name { get; init; }

    public ScalarToken? If { get; init; }

    public ScalarToken? Run { get; init; }

    /// <summary>bash, sh, python, pwsh, or a custom template such as <c>perl {0}</c>.</summary>
    public ScalarToken? Shell { get; init; }

    public ScalarToken? WorkingDirectory { get; init; }

    public IReadOnlyList<KeyValuePair<string, ScalarToken>> Env { get; init; } = [];

    /// <summary>An action reference: <c>owner/repo@ref</c>, <c>owner/repo/path@ref</c> or <c>./local/path</c>.</summary>
    public ScalarToken? Uses { get; init; }

    public IReadOnlyList<KeyValuePair<string, ScalarToken>> With { get; init; } = [];

    public ScalarToken? ContinueOnError { get; init; }

    public ScalarToken? TimeoutMinutes { get; init; }
}
