using Shipgate.Engine.Tools;

namespace Shipgate.Engine.Actions.Builtin;

/// <summary>
/// <c>actions/setup-dotnet</c>: the host's .NET SDKs (<c>dotnet --list-sdks</c>) must include one for each
/// dotnet-version line (<c>8.0.x</c>, <c>8.0.1xx</c>, <c>8.0.404</c>) or the global.json version.
/// </summary>
internal sealed class SetupDotnetAction : HostToolchainAction
{
    public override string Key => "actions/setup-dotnet";

    protected override string ToolName => ".NET SDK";

    protected override string VersionInput => "dotnet-version";

    protected override string VersionFileInput => "global-json-file";

    protected override Task<IReadOnlyList<HostTool>> FindAsync(IActionContext context, CancellationToken cancellationToken) =>
        HostToolchains.FindDotnetSdksAsync(ExecutableLocator.PathOf(context.Environment), cancellationToken);

    protected override string? ReadVersionFile(string path, string content) => VersionFiles.ReadDotnet(content);

    protected override HostTool? DefaultTool(IReadOnlyList<HostTool> hostTools) => hostTools.MaxBy(t => t.Version);

    protected override void SetOutputs(IActionContext context, IReadOnlyList<HostTool> selected)
    {
        context.SetOutput("dotnet-version", selected.Max(t => t.Version)!.Text);
        context.SetOutput("cache-hit", "false");
        context.ExportVariable("DOTNET_ROOT", selected[^1].Home);
    }
}
