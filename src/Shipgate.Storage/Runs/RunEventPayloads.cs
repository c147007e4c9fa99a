using System.Text.Json;
using Shipgate.Engine.Runs;
using Shipgate.Storage.Database;

namespace Shipgate.Storage.Runs;

/// <summary>The kind and JSON payload a run event is stored with (camelCase fields, written without reflection).</summary>
internal static class RunEventPayloads
{
    public static (string Kind, string Json) Describe(RunEvent runEvent)
    {
        var kind = "";
        var json = JsonText.Write(writer =>
        {
            writer.WriteStartObject();
            kind = Write(writer, runEvent);
            writer.WriteEndObject();
        });
        return (kind, json);
    }

    /// <summary>The payload of <c>run.resumed</c>: a lost run queued again, and the jobs that failed as runner lost.</summary>
    public static string Resumed(string lostOwner, IReadOnlyList<string> lostJobs, string? reason = null) =>
        JsonText.Write(writer =>
        {
            writer.WriteStartObject();
            writer.WriteString(
                "reason",
                reason ?? $"The server running the run ({lostOwner}) stopped renewing its lease (runner lost); the run is queued to resume from what it recorded.");
            writer.WriteString("lostOwner", lostOwner);
            writer.WriteStartArray("lostJobs");
            foreach (var key in lostJobs)
            {
                writer.WriteStringValue(key);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        });

    private static string Write(Utf8JsonWriter writer, RunEvent runEvent)
    {
        switch (runEvent)
        {
            case RunStartedEvent started:
                writer.WriteString("workflowName", started.WorkflowName);
                writer.WriteString("runName", started.RunName);
                writer.WriteString("event", started.EventName);
                writer.WriteString("ref", started.Ref);
                writer.WriteString("sha", started.Sha);
                writer.WriteStartArray("jobs");
                foreach (var job in started.Jobs)
                {
                    writer.WriteStartObject();
                    writer.WriteString("jobId", job.JobId);
                    writer.WriteString("name", job.Name);
                    writer.WriteStartArray("needs");
                    foreach (var need in job.Needs)
                    {
                        writer.WriteStringValue(need);
                    }

                    writer.WriteEndArray();
                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
                return "run.started";
            case JobStartedEvent started:
                writer.WriteString("jobKey", started.JobKey);
                writer.WriteString("jobId", started.JobId);
                writer.WriteString("name", started.Name);
                writer.WriteString("environment", started.Environment);
                writer.WriteString("matrix", started.MatrixJson);
                return "job.started";
            case StepStartedEvent started:
                WriteStep(writer, started.JobKey, started.StepNumber);
                writer.WriteString("stepId", started.StepId);
                writer.WriteString("name", started.Name);
                return "step.started";
            case StepOutputEvent output:
                WriteStep(writer, output.JobKey, output.StepNumber);
                writer.WriteString("line", output.Line);
                return "step.output";
            case StepAnnotationEvent annotation:
                WriteStep(writer, annotation.JobKey, annotation.StepNumber);
                writer.WriteString("level", annotation.Level.ToString().ToLowerInvariant());
                writer.WriteString("message", annotation.Message);
                writer.WriteString("title", annotation.Title);
                writer.WriteString("file", annotation.File);
                WriteNumber(writer, "line", annotation.Line);
                WriteNumber(writer, "column", annotation.Column);
                return "step.annotation";
            case StepFinishedEvent finished:
                WriteStep(writer, finished.JobKey, finished.StepNumber);
                writer.WriteString("stepId", finished.StepId);
                writer.WriteString("name", finished.Name);
                WriteResult(writer, finished.Outcome, finished.Conclusion, finished.Reason);
                WriteDuration(writer, finished.Duration);
                return "step.finished";
            case JobFinishedEvent finished:
                writer.WriteString("jobKey", finished.JobKey);
                writer.WriteString("jobId", finished.JobId);
                writer.WriteString("name", finished.Name);
                WriteResult(writer, finished.Outcome, finished.Conclusion, finished.Reason);
                writer.WriteStartObject("outputs");
                foreach (var (name, value) in finished.Outputs.OrderBy(pair => pair.Key, StringComparer.Ordinal))
                {
                    writer.WriteString(name, value);
                }

                writer.WriteEndObject();
                WriteDuration(writer, finished.Duration);
                return "job.finished";
            case RunFinishedEvent finished:
                writer.WriteString("conclusion", DbText.Of(finished.Conclusion));
                writer.WriteString("reason", finished.Reason);
                WriteDuration(writer, finished.Duration);
                return "run.finished";
            default:
                writer.WriteString("type", runEvent.GetType().Name);
                return "engine." + runEvent.GetType().Name.ToLowerInvariant();
        }
    }

    private static void WriteStep(Utf8JsonWriter writer, string jobKey, int stepNumber)
    {
        writer.WriteString("jobKey", jobKey);
        writer.WriteNumber("step", stepNumber);
    }

    private static void WriteResult(Utf8JsonWriter writer, Conclusion outcome, Conclusion conclusion, string? reason)
    {
        writer.WriteString("outcome", DbText.Of(outcome));
        writer.WriteString("conclusion", DbText.Of(conclusion));
        writer.WriteString("reason", reason);
    }

    private static void WriteDuration(Utf8JsonWriter writer, TimeSpan duration) =>
        writer.WriteNumber("durationMs", Math.Round(duration.TotalMilliseconds, 3));

    private static void WriteNumber(Utf8JsonWriter writer, string name, int? value)
    {
        if (value is { } number)
        {
            writer.WriteNumber(name, number);
        }
        else
        {
            writer.WriteNull(name);
        }
    }
}
