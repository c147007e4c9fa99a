using Shipgate.Core.Workflows;
using Shipgate.Engine.Actions;
using Shipgate.Engine.Runs;

namespace Shipgate.Engine.Tests.Runs;

/// <summary>A throwaway repository and data directory, and a way to run a workflow there with every await bounded.</summary>
internal sealed class RunHarness : IDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    public RunHarness()
    {
        Root = Directory.CreateTempSubdirectory("shipgate-run-").FullName;
        Repository = Directory.CreateDirectory(Path.Combine(Root, "repo")).FullName;
        Data = Path.Combine(Root, "data");
        Shared = Directory.CreateDirectory(Path.Combine(Root, "shared")).FullName;
    }

    public string Root { get; }

    public string Repository { get; }

    public string Data { get; }

    /// <summary>A directory outside the run's workspaces where steps leave evidence for assertions.</summary>
    public string Shared { get; }

    public RecordingObserver Observer { get; private set; } = new();

    public RunRequest Request(WorkflowDefinition workflow, IJobGate? gate = null, IReadOnlyDictionary<string, string>? variables = null) =>
        new() { Workflow = workflow, RepositoryDirectory = Repository, DataDirectory = Data, JobGate = gate, Variables = variables ?? new Dictionary<string, string>() };

    public Task<RunResult> RunAsync(WorkflowDefinition workflow) =>
        RunAsync(new RunRequest { Workflow = workflow, RepositoryDirectory = Repository, DataDirectory = Data });

    public Task<RunResult> RunAsync(
        RunRequest request,
        RunEngineOptions? options = null,
        IEnumerable<IBuiltinAction>? builtins = null,
        RecordingObserver? observer = null,
        CancellationTokenSource? cancel = null)
    {
        Observer = observer ?? new RecordingObserver();
        var engine = new RunEngine(options, builtins);
        return engine.RunAsync(request, Observer, cancel?.Token ?? TestContext.Current.CancellationToken).WaitAsync(Timeout, CancellationToken.None);
    }

    /// <summary>Writes a file of the repository (creating its directories).</summary>
    public string WriteRepositoryFile(string relative, string content)
    {
        var path = Path.Combine(Repository, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }

    /// <summary>Writes a workflow into .github/workflows of the repository and loads it; fails the test on any error.</summary>
    public WorkflowDefinition LoadWorkflow(string yaml, string name = "ci.yml")
    {
        var path = WriteRepositoryFile(Path.Combine(".github", "workflows", name), yaml);
        var loaded = WorkflowLoader.LoadFile(path);
        Assert.False(loaded.HasErrors, string.Join("\n", loaded.Errors));
        return loaded.Workflow!;
    }

    public string ReadShared(string name) => File.ReadAllText(Path.Combine(Shared, name));

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A leftover process may hold a file; the OS cleans the temp directory.
        }
    }
}
