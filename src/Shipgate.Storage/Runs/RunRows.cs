using Shipgate.Storage.Database;

namespace Shipgate.Storage.Runs;

/// <summary>The column lists of runs, jobs and steps, and how a row becomes a record.</summary>
internal static class RunRows
{
    public const string RunColumns = "id, project_id, workflow_path, workflow_name, run_number, attempt, event, ref, sha, actor, initiator, inputs_json, concurrency_group, status, conclusion, reason, run_directory, created_at, started_at, finished_at, lease_owner, lease_expires_at, last_event_sequence";

    public const string JobColumns = "id, run_id, job_key, job_id, name, status, conclusion, outcome, reason, outputs_json, matrix_json, environment, runner, attempt, created_at, started_at, finished_at, lease_owner, lease_expires_at";

    public const string StepColumns = "job_id, number, step_id, name, status, conclusion, outcome, reason, log_path, started_at, finished_at";

    public static RunRecord Run(Row row) => new(
        row.Int64(0),
        row.Int64(1),
        row.String(2),
        row.String(3),
        row.Int64(4),
        row.Int32(5),
        row.String(6),
        row.String(7),
        row.String(8),
        row.String(9),
        row.String(10),
        JsonText.ToMap(row.String(11)),
        row.NullableString(12),
        DbText.ToRunStatus(row.String(13)),
        DbText.ToConclusion(row.NullableString(14)),
        row.NullableString(15),
        row.NullableString(16),
        row.Time(17),
        row.NullableTime(18),
        row.NullableTime(19),
        row.NullableString(20),
        row.NullableTime(21),
        row.Int64(22));

    public static JobRecord Job(Row row) => new(
        row.Int64(0),
        row.Int64(1),
        row.String(2),
        row.String(3),
        row.String(4),
        DbText.ToRunStatus(row.String(5)),
        DbText.ToConclusion(row.NullableString(6)),
        DbText.ToConclusion(row.NullableString(7)),
        row.NullableString(8),
        row.NullableString(9) is { } outputs ? JsonText.ToMap(outputs) : new Dictionary<string, string>(),
        row.NullableString(10),
        row.NullableString(11),
        row.NullableString(12),
        row.Int32(13),
        row.Time(14),
        row.NullableTime(15),
        row.NullableTime(16),
        row.NullableString(17),
        row.NullableTime(18));

    public static StepRecord Step(Row row) => new(
        row.Int64(0),
        row.Int32(1),
        row.NullableString(2),
        row.String(3),
        DbText.ToRunStatus(row.String(4)),
        DbText.ToConclusion(row.NullableString(5)),
        DbText.ToConclusion(row.NullableString(6)),
        row.NullableString(7),
        row.NullableString(8),
        row.NullableTime(9),
        row.NullableTime(10));
}
