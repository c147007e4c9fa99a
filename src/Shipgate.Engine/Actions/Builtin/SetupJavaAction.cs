using Shipgate.Engine.Tools;

namespace Shipgate.Engine.Actions.Builtin;

/// <summary>
/// <c>actions/setup-java</c>: a host JDK (the java on PATH, JAVA_HOME, /usr/lib/jvm/*) that satisfies
/// java-version (<c>17</c>, <c>1.8</c>, <c>21.0.2+13</c>), whatever its distribution.
/// </summary>
internal sealed class SetupJavaAction : HostToolchainAction
{
    public override string Key => "actions/setup-java";

    protected override string ToolName => "Java";

    protected override string VersionInput => "java-version";

    protected override string VersionFileInput => "java-version-file";

    protected override Task<IReadOnlyList<HostTool>> FindAsync(IActionContext context, CancellationToken cancellationToken) =>
        HostToolchains.FindJavaAsync(context.Environment, cancellationToken);

    protected override string? ReadVersionFile(string path, string content) => VersionFiles.ReadJava(path, content);

    protected override VersionSpec? ParseSpec(string text, bool allowPrerelease)
    {
        // Java 8 and older were numbered 1.N: "1.8" asks for 8.
        var normalized = text.Trim();
        if (normalized.StartsWith("1.", StringComparison.Ordinal) && ToolVersion.TryParse(normalized) is { Minor: > 0 and <= 8 } old)
        {
            normalized = string.Join('.', old.Components.Skip(1));
        }

        return base.ParseSpec(normalized, allowPrerelease);
    }

    protected override void SetOutputs(IActionContext context, IReadOnlyList<HostTool> selected)
    {
        foreach (var jdk in selected)
        {
            context.ExportVariable($"JAVA_HOME_{jdk.Version.Major}_{Architecture()}", jdk.Home);
        }

        var java = selected[^1];
        context.ExportVariable("JAVA_HOME", java.Home);
        context.SetOutput("version", java.Version.Text);
        context.SetOutput("path", java.Home);
        context.SetOutput("distribution", context.GetInput("distribution"));
        context.SetOutput("cache-hit", "false");
    }

    private static string Architecture() =>
        System.Runtime.InteropServices.RuntimeInformation.OSArchitecture == System.Runtime.InteropServices.Architecture.Arm64 ? "ARM64" : "X64";
}
