using Shipgate.Core.Workflows;

namespace Shipgate.Server.Workflows;

/// <summary>A workflow file of a repository at a commit: its path and what loading it gave (the workflow, or errors).</summary>
internal sealed record RepositoryWorkflow(string Path, WorkflowLoadResult Load)
{
    public WorkflowDefinition? Definition => Load.HasErrors ? null : Load.Workflow;

    /// <summary>The first error as <c>path:line:col: error: message</c>, or null.</summary>
    public string? FirstError => Load.Errors.FirstOrDefault()?.ToString();

    public string DisplayName => Definition?.Name?.Value ?? System.IO.Path.GetFileName(Path);
}
