namespace Shipgate.Engine.Commands;

/// <summary>
/// Receives what a step's output and file commands mean: lines to show, outputs, environment, annotations...
/// The run orchestrator implements it for each step. Text parameters documented as masked have been through
/// the <see cref="Masking.SecretMasker"/>; values (outputs, state, env, paths) are raw, as on GitHub, and must be
/// masked if they are ever printed.
/// </summary>
public interface IWorkflowCommandSink
{
    /// <summary>A line for the step's log and the terminal, masked.</summary>
    void WriteLine(string maskedText);

    /// <summary><c>::debug::</c> text, masked; GitHub shows it only when step debug logging is on.</summary>
    void WriteDebug(string maskedMessage);

    /// <summary>An error, warning or notice (masked).</summary>
    void AddAnnotation(WorkflowAnnotation annotation);

    /// <summary><c>::group::title</c> (masked): the following lines belong to a foldable group.</summary>
    void StartGroup(string maskedTitle);

    /// <summary><c>::endgroup::</c>.</summary>
    void EndGroup();

    /// <summary>A step output (GITHUB_OUTPUT or the deprecated <c>::set-output</c>).</summary>
    void SetOutput(string name, string value);

    /// <summary>State for the action's post step (GITHUB_STATE or the deprecated <c>::save-state</c>).</summary>
    void SaveState(string name, string value);

    /// <summary>An environment variable for the following steps of the job (GITHUB_ENV).</summary>
    void SetEnvironmentVariable(string name, string value);

    /// <summary>A directory to put in front of PATH for the following steps (GITHUB_PATH); the last added comes first.</summary>
    void AddPath(string path);

    /// <summary>The step's GITHUB_STEP_SUMMARY markdown (masked), to append to the job summary.</summary>
    void AppendSummary(string maskedMarkdown);

    /// <summary>A command could not be processed: the step fails even if its process exits 0 (GitHub's CommandResult).</summary>
    void FailStep();
}
