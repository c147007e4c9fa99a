using Shipgate.Engine.Commands;
using Shipgate.Engine.Runs;

namespace Shipgate.Engine.Steps;

/// <summary>
/// What a step's workflow and file commands do: lines and annotations to its log, outputs and state to the
/// executing step, env and PATH to the job's later steps, the summary to the job's summary file.
/// </summary>
internal sealed class StepCommandSink(JobState job, StepOutputSink output, StepInvocation invocation) : IWorkflowCommandSink
{
    /// <summary>True when a command could not be processed: the step fails even if it exits 0.</summary>
    public bool Failed { get; private set; }

    public void WriteLine(string maskedText) => output.WriteMaskedLine(maskedText);

    public void WriteDebug(string maskedMessage)
    {
        // GitHub shows debug lines only with step debug logging on (ACTIONS_STEP_DEBUG), which the host does not set.
    }

    public void AddAnnotation(WorkflowAnnotation annotation) => output.Annotate(annotation);

    public void StartGroup(string maskedTitle) => output.WriteMaskedLine("##[group]" + maskedTitle);

    public void EndGroup() => output.WriteMaskedLine("##[endgroup]");

    public void SetOutput(string name, string value) => invocation.Outputs[name] = value;

    public void SaveState(string name, string value) => invocation.State[name] = value;

    public void SetEnvironmentVariable(string name, string value) => job.ExportVariable(name, value);

    public void AddPath(string path) => job.AddPath(path);

    public void AppendSummary(string maskedMarkdown) => File.AppendAllText(job.SummaryPath, maskedMarkdown + "\n");

    public void FailStep() => Failed = true;
}
