using Shipgate.Engine.Tools;

namespace Shipgate.Engine.Actions.Builtin;

/// <summary><c>actions/setup-go</c>: the host's Go (on PATH or in /usr/local/go) that satisfies go-version or go.mod.</summary>
internal sealed class SetupGoAction : HostToolchainAction
{
    public override string Key => "actions/setup-go";

    protected override string ToolName => "Go";

    protected override string VersionInput => "go-version";

    protected override string VersionFileInput => "go-version-file";

    protected override Task<IReadOnlyList<HostTool>> FindAsync(IActionContext context, CancellationToken cancellationToken) =>
        HostToolchains.FindGoAsync(ExecutableLocator.PathOf(context.Environment), cancellationToken);

    protected override string? ReadVersionFile(string path, string content) => VersionFiles.ReadGo(path, content);

    protected override void SetOutputs(IActionContext context, IReadOnlyList<HostTool> selected)
    {
        var go = selected[^1];
        context.SetOutput("go-version", go.Version.Text);
        context.SetOutput("cache-hit", "false");
        context.ExportVariable("GOROOT", go.Home);
        // Go 1.21+ would otherwise download the toolchain go.mod names, which fails offline.
        context.ExportVariable("GOTOOLCHAIN", "local");
    }
}
