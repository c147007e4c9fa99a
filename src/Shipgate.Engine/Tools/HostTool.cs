namespace Shipgate.Engine.Tools;

/// <summary>A toolchain found on the host (or installed into the tool cache).</summary>
/// <param name="Version">Its version.</param>
/// <param name="Executable">The main program (<c>python3</c>, <c>node</c>, <c>java</c>...), a full path.</param>
/// <param name="Home">Its root directory (sys.prefix, JAVA_HOME, GOROOT, DOTNET_ROOT).</param>
/// <param name="BinDirectory">The directory to put on PATH.</param>
internal sealed record HostTool(ToolVersion Version, string Executable, string Home, string BinDirectory);
