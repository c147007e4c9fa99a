using Shipgate.Engine.Tools;

namespace Shipgate.Engine.Actions.Builtin;

/// <summary>
/// What setup-python, setup-dotnet, setup-go, setup-java and setup-node share: read the requested versions
/// (the version input, one per line, else the version file), pick the newest host toolchain that satisfies
/// each, put it on PATH (the last one first) and set the outputs. Shipgate downloads no toolchain here
/// except Node.js (<see cref="SetupNodeAction"/> overrides <see cref="ResolveMissingAsync"/>).
/// </summary>
internal abstract class HostToolchainAction : IBuiltinAction
{
    public abstract string Key { get; }

    /// <summary>The toolchain's name in messages: Python, .NET SDK, Go, Java, Node.js.</summary>
    protected abstract string ToolName { get; }

    /// <summary>The version input (<c>python-version</c>).</summary>
    protected abstract string VersionInput { get; }

    /// <summary>The version file input (<c>python-version-file</c>).</summary>
    protected abstract string VersionFileInput { get; }

    public async Task<ActionResult> RunAsync(IActionContext context, CancellationToken cancellationToken = default)
    {
        var requested = ReadRequestedVersions(context, out var error);
        if (error is not null)
        {
            return ActionResult.Failure(error);
        }

        var allowPrerelease = context.GetBoolean("allow-prereleases", false) == true;
        var specs = new List<(string Text, VersionSpec Spec)>();
        foreach (var text in requested)
        {
            if (ParseSpec(text, allowPrerelease) is not { } spec)
            {
                return ActionResult.Failure($"'{text}' is not a {ToolName} version {VersionInput} accepts (examples: 3.11, 3.x, >=3.10, 8.0.x, 17).");
            }

            specs.Add((text, spec));
        }

        var hostTools = await FindAsync(context, cancellationToken).ConfigureAwait(false);
        if (specs.Count == 0)
        {
            // Without a version, setup-* use what is on PATH (setup-python warns; so do we).
            if (DefaultTool(hostTools) is not { } current)
            {
                return ActionResult.Failure($"No version of {ToolName} was requested and the host has none; set {VersionInput}.");
            }

            context.Warning($"Neither {VersionInput} nor {VersionFileInput} is set; using the host's {ToolName} {current.Version}.");
            return Activate(context, [current]);
        }

        if (specs.Any(s => s.Spec.Best(hostTools, t => t.Version) is null))
        {
            hostTools = [.. hostTools, .. await FindOthersAsync(context, cancellationToken).ConfigureAwait(false)];
        }

        var selected = new List<HostTool>();
        foreach (var (text, spec) in specs)
        {
            var tool = spec.Best(hostTools, t => t.Version);
            if (tool is null)
            {
                var (resolved, failure) = await ResolveMissingAsync(context, spec, hostTools, cancellationToken).ConfigureAwait(false);
                if (resolved is null)
                {
                    return ActionResult.Failure(failure ?? MissingMessage(text, hostTools));
                }

                tool = resolved;
            }

            selected.Add(tool);
        }

        return Activate(context, selected);
    }

    /// <summary>The toolchains the host has, in any order.</summary>
    protected abstract Task<IReadOnlyList<HostTool>> FindAsync(IActionContext context, CancellationToken cancellationToken);

    /// <summary>Further toolchains, looked for only when <see cref="FindAsync"/> found no match (the slow search).</summary>
    protected virtual Task<IReadOnlyList<HostTool>> FindOthersAsync(IActionContext context, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<HostTool>>([]);

    /// <summary>The spec a version file pins, or null.</summary>
    protected abstract string? ReadVersionFile(string path, string content);

    /// <summary>Sets the outputs and variables of the action for the selected toolchains (the last is the default).</summary>
    protected abstract void SetOutputs(IActionContext context, IReadOnlyList<HostTool> selected);

    /// <summary>Turns a requested version into a spec; tools with their own aliases override it.</summary>
    protected virtual VersionSpec? ParseSpec(string text, bool allowPrerelease) => VersionSpec.TryParse(text, allowPrerelease);

    /// <summary>
    /// When the host has no match: a toolchain from elsewhere, or no tool and either a failure sentence or
    /// null for the standard "not on this host" one.
    /// </summary>
    protected virtual Task<(HostTool? Tool, string? Error)> ResolveMissingAsync(
        IActionContext context, VersionSpec spec, IReadOnlyList<HostTool> hostTools, CancellationToken cancellationToken) =>
        Task.FromResult<(HostTool?, string?)>((null, null));

    /// <summary>The toolchain used when no version is requested: the first found (the one on PATH).</summary>
    protected virtual HostTool? DefaultTool(IReadOnlyList<HostTool> hostTools) => hostTools.FirstOrDefault();

    private IReadOnlyList<string> ReadRequestedVersions(IActionContext context, out string? error)
    {
        error = null;
        var versions = context.GetLines(VersionInput);
        var file = context.GetInput(VersionFileInput).Trim();
        if (versions.Count > 0)
        {
            if (file.Length > 0)
            {
                context.Warning($"Both {VersionInput} and {VersionFileInput} are set; using {VersionInput}.");
            }

            return versions;
        }

        if (file.Length == 0)
        {
            return [];
        }

        var path = context.ResolvePath(file);
        if (!File.Exists(path))
        {
            error = $"The {VersionFileInput} '{file}' does not exist (looked for {path}).";
            return [];
        }

        var spec = ReadVersionFile(path, File.ReadAllText(path))?.Trim();
        if (string.IsNullOrEmpty(spec))
        {
            error = $"The {VersionFileInput} '{file}' names no {ToolName} version.";
            return [];
        }

        context.Log($"Resolved {file} as {spec}");
        return [spec];
    }

    private ActionResult Activate(IActionContext context, IReadOnlyList<HostTool> selected)
    {
        foreach (var tool in selected)
        {
            // AddPath prepends: the last requested version ends up first, as setup-* do with several.
            context.AddPath(tool.BinDirectory);
            context.Log($"Using {ToolName} {tool.Version} from {tool.Executable}");
        }

        SetOutputs(context, selected);
        return ActionResult.Success;
    }

    private string MissingMessage(string requested, IReadOnlyList<HostTool> hostTools)
    {
        var has = hostTools.Count == 0
            ? $"has no {ToolName}"
            : $"has {ToolName} {string.Join(", ", hostTools.Select(t => t.Version).Order().Select(v => v.Text).Distinct())}";
        return $"{ToolName} {requested} was requested, but this host {has}; Shipgate does not download {ToolName}, so install a matching version on the host or change {VersionInput}.";
    }
}
