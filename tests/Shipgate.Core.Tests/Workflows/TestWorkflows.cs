using Shipgate.Core.Diagnostics;
using Shipgate.Core.Workflows;
using Shipgate.Core.Yaml;

namespace Shipgate.Core.Tests.Workflows;

/// <summary>Loads workflow text for tests; files are named "w.yml".</summary>
internal static class TestWorkflows
{
    public const string FileName = "w.yml";

    /// <summary>A minimal valid job, to put around what a test is about.</summary>
    public const string Header = "on: push\njobs:\n";

    /// <summary>YAML and the parser only (no semantic checks).</summary>
    public static (WorkflowDefinition? Workflow, List<Diagnostic> Diagnostics) Parse(string yaml)
    {
        var loaded = YamlLoader.LoadText(yaml, FileName);
        var diagnostics = new List<Diagnostic>(loaded.Diagnostics);
        var workflow = WorkflowParser.Parse(loaded.Root, FileName, diagnostics);
        return (workflow, diagnostics);
    }

    /// <summary>The whole pipeline: YAML, parser and validator.</summary>
    public static WorkflowLoadResult Load(string yaml) => WorkflowLoader.LoadText(yaml, FileName);

    public static SourceLocation At(int line, int column) => new(FileName, line, column);

    public static Diagnostic SingleError(IEnumerable<Diagnostic> diagnostics)
    {
        var error = Assert.Single(diagnostics);
        Assert.Equal(DiagnosticSeverity.Error, error.Severity);
        return error;
    }

    public static string DataPath(string name) => Path.Combine(AppContext.BaseDirectory, "Workflows", "Data", name);
}
