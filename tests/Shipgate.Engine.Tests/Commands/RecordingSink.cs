using Shipgate.Engine.Commands;
using Shipgate.Engine.Logging;

namespace Shipgate.Engine.Tests.Commands;

/// <summary>A sink that records every call as a line of text, in order, and writes shown lines to a log if given one.</summary>
internal sealed class RecordingSink(StepLogWriter? log = null) : IWorkflowCommandSink
{
    public List<string> Events { get; } = [];

    public List<WorkflowAnnotation> Annotations { get; } = [];

    public Dictionary<string, string> Outputs { get; } = [];

    public bool Failed { get; private set; }

    public IEnumerable<string> Lines => Events.Where(e => e.StartsWith("line:", StringComparison.Ordinal)).Select(e => e["line:".Length..]);

    public void WriteLine(string maskedText)
    {
        Events.Add($"line:{maskedText}");
        log?.WriteLine(maskedText);
    }

    public void WriteDebug(string maskedMessage) => Events.Add($"debug:{maskedMessage}");

    public void AddAnnotation(WorkflowAnnotation annotation)
    {
        Annotations.Add(annotation);
        Events.Add($"{annotation.Level.ToString().ToLowerInvariant()}:{annotation.Message}");
    }

    public void StartGroup(string maskedTitle) => Events.Add($"group:{maskedTitle}");

    public void EndGroup() => Events.Add("endgroup");

    public void SetOutput(string name, string value)
    {
        Outputs[name] = value;
        Events.Add($"output:{name}={value}");
    }

    public void SaveState(string name, string value) => Events.Add($"state:{name}={value}");

    public void SetEnvironmentVariable(string name, string value) => Events.Add($"env:{name}={value}");

    public void AddPath(string path) => Events.Add($"path:{path}");

    public void AppendSummary(string maskedMarkdown) => Events.Add($"summary:{maskedMarkdown}");

    public void FailStep()
    {
        Failed = true;
        Events.Add("fail");
    }
}
