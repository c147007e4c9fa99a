namespace Shipgate.Engine.Processes;

/// <summary>Which pipe of the child a line came from.</summary>
public enum OutputStream
{
    StandardOutput,
    StandardError,
}
