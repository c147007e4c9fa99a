using Shipgate.Core.Diagnostics;

namespace Shipgate.Core.Workflows;

/// <summary>A loaded workflow and every diagnostic about it, sorted by position.</summary>
public sealed class WorkflowLoadResult
{
    /// <summary>
    /// The workflow as far as it could be read; null when the file is missing, not YAML, empty or not a
    /// mapping. Do not run a workflow when <see cref="HasErrors"/> is true: parts of it may be missing.
    /// </summary>
    public WorkflowDefinition? Workflow { get; init; }

    public required IReadOnlyList<Diagnostic> Diagnostics { get; init; }

    public bool HasErrors => Diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error);

    public IEnumerable<Diagnostic> Errors => Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error);

    public IEnumerable<Diagnostic> Warnings => Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Warning);
}
