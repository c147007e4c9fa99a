namespace Shipgate.Engine.Processes;

/// <summary>A step's script written to disk, and the program and arguments that run it (for <see cref="ProcessSpec"/>).</summary>
public sealed record PreparedScript(string ScriptPath, string FileName, IReadOnlyList<string> Arguments)
{
    /// <summary>After the step: removes the script file.</summary>
    public void Release() => StepFiles.Delete(ScriptPath);
}
