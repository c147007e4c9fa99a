namespace Shipgate.Engine.Processes;

/// <summary>A step's script written to disk, and the program and arguments that run it (for <see cref="ProcessSpec"/>).</summary>
public sealed record PreparedScript(string ScriptPath, string FileName, IReadOnlyList<string> Arguments)
{
    /// <summary>True when <see cref="ScriptPath"/> is the job's reused script file (<see cref="ReusableFiles"/>).</summary>
    public bool Reused { get; init; }

    /// <summary>After the step: gives a reused file back to the next step, or deletes a new one.</summary>
    public void Release()
    {
        if (Reused)
        {
            ReusableFiles.Release(ScriptPath);
            return;
        }

        File.Delete(ScriptPath);
    }
}
