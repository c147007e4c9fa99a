using Shipgate.Engine.Actions;

namespace Shipgate.Engine.Tests.Actions;

/// <summary>A hand-written <see cref="IActionContext"/> over a temporary directory: records what an action did.</summary>
internal sealed class FakeActionContext : IActionContext, IDisposable
{
    private readonly Dictionary<Type, object> _services = [];

    public FakeActionContext(TempDirectory? root = null)
    {
        Root = root ?? new TempDirectory();
        Workspace = Root.Create("workspace");
        RunnerTemp = Root.Create("temp");
        ToolCache = Root.Create("toolcache");
        DataDirectory = Root.Create("data");
        RepositoryDirectory = Root.Create("repository");
        Environment["PATH"] = System.Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin";
        Environment["HOME"] = System.Environment.GetEnvironmentVariable("HOME") ?? Root.Path;
        Environment["GITHUB_JOB"] = "build";
    }

    public TempDirectory Root { get; }

    public Dictionary<string, string> InputValues { get; } = new(StringComparer.OrdinalIgnoreCase);

    public IReadOnlyDictionary<string, string> Inputs => InputValues;

    public Dictionary<string, string> Environment { get; } = new(StringComparer.Ordinal);

    IReadOnlyDictionary<string, string> IActionContext.Environment => Environment;

    public string Workspace { get; set; }

    public string RunnerTemp { get; }

    public string ToolCache { get; set; }

    public string DataDirectory { get; set; }

    public IReadOnlyList<string>? SandboxDirectories { get; set; }

    public string RepositoryDirectory { get; set; }

    public string Sha { get; set; } = "";

    public string Ref { get; set; } = "refs/heads/main";

    public string RunId { get; set; } = "1";

    public string Actor { get; set; } = "alice";

    public Dictionary<string, string> Outputs { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, string> ExportedVariables { get; } = new(StringComparer.Ordinal);

    public List<string> AddedPaths { get; } = [];

    public List<string> Masks { get; } = [];

    public Dictionary<string, string> State { get; } = new(StringComparer.Ordinal);

    public List<string> Lines { get; } = [];

    public List<string> Warnings { get; } = [];

    public List<string> Errors { get; } = [];

    /// <summary>Sets an input (the engine would have evaluated <c>with:</c>).</summary>
    public FakeActionContext With(string name, string value)
    {
        InputValues[name] = value;
        return this;
    }

    public FakeActionContext AddService<T>(T service)
        where T : class
    {
        _services[typeof(T)] = service;
        return this;
    }

    public string GetInput(string name, string defaultValue = "") =>
        InputValues.TryGetValue(name, out var value) && value.Length > 0 ? value : defaultValue;

    public void SetOutput(string name, string value) => Outputs[name] = value;

    public void ExportVariable(string name, string value)
    {
        ExportedVariables[name] = value;
        Environment[name] = value;
    }

    public void AddPath(string directory)
    {
        AddedPaths.Add(directory);
        Environment["PATH"] = directory + Path.PathSeparator + Environment["PATH"];
    }

    public void AddMask(string value) => Masks.Add(value);

    public void SaveState(string name, string value) => State[name] = value;

    public string GetState(string name) => State.TryGetValue(name, out var value) ? value : "";

    public void Log(string line) => Lines.Add(line);

    public void Warning(string message) => Warnings.Add(message);

    public void Error(string message) => Errors.Add(message);

    public T? GetService<T>()
        where T : class => _services.TryGetValue(typeof(T), out var service) ? (T)service : null;

    /// <summary>A fresh context for the next step of the same job: same directories, run and state.</summary>
    public FakeActionContext NextStep()
    {
        var next = new FakeActionContext(Root, this);
        return next;
    }

    private FakeActionContext(TempDirectory root, FakeActionContext previous)
        : this(root)
    {
        Workspace = previous.Workspace;
        ToolCache = previous.ToolCache;
        DataDirectory = previous.DataDirectory;
        SandboxDirectories = previous.SandboxDirectories;
        RepositoryDirectory = previous.RepositoryDirectory;
        Sha = previous.Sha;
        Ref = previous.Ref;
        RunId = previous.RunId;
        Actor = previous.Actor;
        foreach (var (key, value) in previous.Environment)
        {
            Environment[key] = value;
        }

        foreach (var (key, value) in previous._services)
        {
            _services[key] = value;
        }
    }

    public void Dispose() => Root.Dispose();
}
