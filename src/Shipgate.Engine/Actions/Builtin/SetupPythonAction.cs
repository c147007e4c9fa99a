using Shipgate.Engine.Tools;

namespace Shipgate.Engine.Actions.Builtin;

/// <summary>
/// <c>actions/setup-python</c>: the host's Python 3 (python3, python3.N or python on PATH) that satisfies
/// python-version; also makes <c>python</c> and <c>pip</c> name it, as on GitHub's runners.
/// </summary>
internal sealed class SetupPythonAction : HostToolchainAction
{
    public override string Key => "actions/setup-python";

    protected override string ToolName => "Python";

    protected override string VersionInput => "python-version";

    protected override string VersionFileInput => "python-version-file";

    protected override Task<IReadOnlyList<HostTool>> FindAsync(IActionContext context, CancellationToken cancellationToken) =>
        HostToolchains.FindPythonAsync(context.Environment, others: false, cancellationToken);

    protected override Task<IReadOnlyList<HostTool>> FindOthersAsync(IActionContext context, CancellationToken cancellationToken) =>
        HostToolchains.FindPythonAsync(context.Environment, others: true, cancellationToken);

    protected override string? ReadVersionFile(string path, string content) => VersionFiles.ReadPython(path, content);

    protected override VersionSpec? ParseSpec(string text, bool allowPrerelease) =>
        text.StartsWith("pypy", StringComparison.OrdinalIgnoreCase) || text.StartsWith("graalpy", StringComparison.OrdinalIgnoreCase)
            ? null
            : base.ParseSpec(text, allowPrerelease);

    protected override void SetOutputs(IActionContext context, IReadOnlyList<HostTool> selected)
    {
        var python = selected[^1];
        var shims = Shims(context, python);
        if (shims is not null)
        {
            context.AddPath(shims);
        }

        context.SetOutput("python-version", python.Version.Text);
        context.SetOutput("python-path", python.Executable);
        context.SetOutput("cache-hit", "false");
        if (context.GetBoolean("update-environment", true) != false)
        {
            context.ExportVariable("pythonLocation", python.Home);
            context.ExportVariable("PKG_CONFIG_PATH", Path.Combine(python.Home, "lib", "pkgconfig"));
            context.ExportVariable("Python_ROOT_DIR", python.Home);
            context.ExportVariable("Python3_ROOT_DIR", python.Home);
        }
    }

    /// <summary>
    /// A directory with <c>python</c> and <c>pip</c> links when the interpreter's own directory lacks them
    /// (Debian installs only python3 and pip3); null when nothing is missing.
    /// </summary>
    private static string? Shims(IActionContext context, HostTool python)
    {
        var links = new List<(string Name, string Target)>();
        if (!File.Exists(Path.Combine(python.BinDirectory, "python")))
        {
            links.Add(("python", python.Executable));
        }

        var pip = Path.Combine(python.BinDirectory, "pip3");
        if (!File.Exists(Path.Combine(python.BinDirectory, "pip")) && File.Exists(pip))
        {
            links.Add(("pip", pip));
        }

        if (links.Count == 0)
        {
            return null;
        }

        var directory = Directory.CreateDirectory(Path.Combine(context.RunnerTemp, "shipgate-python", python.Version.Text)).FullName;
        foreach (var (name, target) in links)
        {
            var link = Path.Combine(directory, name);
            if (new FileInfo(link).LinkTarget is null)
            {
                File.CreateSymbolicLink(link, target);
            }
        }

        return directory;
    }
}
