using System.Text.Encodings.Web;
using System.Text.Json;
using Shipgate.Engine.Runs;

namespace Shipgate.Cli.Run;

/// <summary>The <c>--json</c> summary of a run: its conclusion, every job with outputs and steps, and the artifacts with digests.</summary>
internal static class RunSummaryWriter
{
    public static void Write(Stream output, RunResult result)
    {
        using var json = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        json.WriteStartObject();
        json.WriteString("runId", result.RunId);
        json.WriteString("conclusion", Name(result.Conclusion));
        WriteNullable(json, "reason", result.Reason);
        json.WriteNumber("durationSeconds", Math.Round(result.Duration.TotalSeconds, 3));
        json.WriteString("runDirectory", result.RunDirectory);
        json.WriteStartArray("jobs");
        foreach (var job in result.Jobs)
        {
            json.WriteStartObject();
            json.WriteString("key", job.Key);
            json.WriteString("id", job.JobId);
            json.WriteString("name", job.Name);
            json.WriteString("conclusion", Name(job.Conclusion));
            json.WriteString("outcome", Name(job.Outcome));
            WriteNullable(json, "reason", job.Reason);
            if (job.MatrixJson is not null)
            {
                json.WritePropertyName("matrix");
                json.WriteRawValue(job.MatrixJson);
            }

            json.WriteStartObject("outputs");
            foreach (var (name, value) in job.Outputs)
            {
                json.WriteString(name, value);
            }

            json.WriteEndObject();
            json.WriteStartArray("steps");
            foreach (var step in job.Steps)
            {
                json.WriteStartObject();
                json.WriteNumber("number", step.Number);
                WriteNullable(json, "id", step.Id);
                json.WriteString("name", step.Name);
                json.WriteString("conclusion", Name(step.Conclusion));
                json.WriteString("outcome", Name(step.Outcome));
                WriteNullable(json, "reason", step.Reason);
                WriteNullable(json, "log", step.LogPath);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteStartArray("artifacts");
        foreach (var artifact in result.Artifacts)
        {
            json.WriteStartObject();
            json.WriteString("name", artifact.Name);
            json.WriteString("digest", artifact.Digest);
            json.WriteNumber("size", artifact.Size);
            json.WriteString("job", artifact.JobKey);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
        json.Flush();
        output.WriteByte((byte)'\n');
    }

    private static string Name(Conclusion conclusion) => conclusion.ToString().ToLowerInvariant();

    private static void WriteNullable(Utf8JsonWriter json, string name, string? value)
    {
        if (value is null)
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteString(name, value);
        }
    }
}
