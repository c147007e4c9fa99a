using Shipgate.Core.Diagnostics;
using Shipgate.Core.Validation;
using Shipgate.Core.Yaml;

namespace Shipgate.Core.Workflows;

/// <summary>
/// The entry point for workflow files: finds them in a repository, and loads one into a
/// <see cref="WorkflowDefinition"/> with every diagnostic (YAML, schema, semantic checks, warnings).
/// </summary>
public static class WorkflowLoader
{
    /// <summary>Where workflows live, relative to the repository root, in the order they are listed.</summary>
    public static IReadOnlyList<string> WorkflowDirectories { get; } = [".shipgate/workflows", ".github/workflows"];

    /// <summary>The most diagnostics one file reports; a file past it is broken enough.</summary>
    internal const int MaxDiagnostics = 500;

    /// <summary>Loads, parses and validates a workflow file. Never throws on bad input.</summary>
    public static WorkflowLoadResult LoadFile(string path, YamlLimits? limits = null) =>
        FromYaml(YamlLoader.LoadFile(path, limits), path);

    /// <summary>Loads, parses and validates workflow text (e.g. read from git at a commit); <paramref name="filePath"/> names it in diagnostics.</summary>
    public static WorkflowLoadResult LoadText(string text, string filePath, YamlLimits? limits = null) =>
        FromYaml(YamlLoader.LoadText(text, filePath, limits), filePath);

    /// <summary>
    /// The workflow files of a repository: <c>*.yml</c> and <c>*.yaml</c> directly in
    /// <c>.shipgate/workflows</c> and <c>.github/workflows</c>, each directory sorted by name.
    /// </summary>
    public static IReadOnlyList<string> FindWorkflowFiles(string repositoryRoot)
    {
        var files = new List<string>();
        foreach (var directory in WorkflowDirectories)
        {
            files.AddRange(FindInDirectory(Path.Combine(repositoryRoot, directory)));
        }

        return files;
    }

    /// <summary>
    /// The workflow files a path names: a file is itself; a directory is a repository (its
    /// <see cref="WorkflowDirectories"/>) or else a directory of workflow files. The error is one sentence.
    /// </summary>
    public static bool TryResolveWorkflowFiles(string path, out IReadOnlyList<string> files, out string? error)
    {
        files = [];
        if (File.Exists(path))
        {
            files = [path];
            error = null;
            return true;
        }

        if (!Directory.Exists(path))
        {
            error = $"'{path}' does not exist.";
            return false;
        }

        try
        {
            var found = FindWorkflowFiles(path);
            files = found.Count > 0 ? found : FindInDirectory(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            error = $"cannot list '{path}': {ex.Message}";
            return false;
        }

        if (files.Count == 0)
        {
            error = $"'{path}' holds no workflow files (*.yml or *.yaml in .shipgate/workflows, .github/workflows or the directory itself).";
            return false;
        }

        error = null;
        return true;
    }

    /// <summary>The <c>*.yml</c> and <c>*.yaml</c> files directly in <paramref name="directory"/>, sorted by name.</summary>
    public static IReadOnlyList<string> FindInDirectory(string directory)
    {
        if (!Directory.Exists(directory))
        {
            return [];
        }

        return Directory.EnumerateFiles(directory)
            .Where(IsWorkflowFileName)
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    private static bool IsWorkflowFileName(string path) =>
        path.EndsWith(".yml", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase);

    private static WorkflowLoadResult FromYaml(YamlLoadResult yaml, string path)
    {
        var diagnostics = new List<Diagnostic>(yaml.Diagnostics);
        WorkflowDefinition? workflow = null;
        if (yaml.Root is not null || !yaml.HasErrors)
        {
            workflow = WorkflowParser.Parse(yaml.Root, path, diagnostics);
            if (workflow is not null)
            {
                WorkflowValidator.Validate(workflow, diagnostics);
            }
        }

        return new WorkflowLoadResult { Workflow = workflow, Diagnostics = DiagnosticList.SortAndLimit(diagnostics, path, MaxDiagnostics) };
    }
}
