using System.Collections.Concurrent;
using Shipgate.Core.Expressions;
using Shipgate.Engine.Contexts;
using Shipgate.Engine.Masking;
using Shipgate.Engine.Processes;
using Shipgate.Engine.Steps;

namespace Shipgate.Engine.Runs;

/// <summary>Everything one run shares across its jobs: the request, services, directories and results.</summary>
internal sealed class RunContext
{
    private readonly ConcurrentDictionary<string, int> _directoryNames = new(StringComparer.OrdinalIgnoreCase);

    public required RunRequest Request { get; init; }

    public required RunEngineOptions Options { get; init; }

    public required string RunId { get; init; }

    public required string DataDirectory { get; init; }

    public required string RunDirectory { get; init; }

    public required string ToolCache { get; init; }

    public required string EventPath { get; init; }

    public required GitRepositoryInfo Git { get; init; }

    public required ObjectValue EventPayload { get; init; }

    public required ObjectValue Variables { get; init; }

    /// <summary>
    /// The environment every step starts from: the host process's (as a runner's steps inherit it), or in a
    /// sandbox only its PATH and locale (<see cref="Sandbox.StepSandbox"/>).
    /// </summary>
    public required IReadOnlyDictionary<string, string> HostEnvironment { get; init; }

    public required ExpressionEvaluator Evaluator { get; init; }

    public required RunEventPublisher Events { get; init; }

    public required SecretMasker Masker { get; init; }

    public required ProcessRunner Processes { get; init; }

    public required BuiltinActionRegistry Builtins { get; init; }

    public required ConcurrencyGroups Concurrency { get; init; }

    /// <summary>The host's limit of jobs running steps at once.</summary>
    public required SemaphoreSlim HostSlots { get; init; }

    public required RunArtifactRecorder Artifacts { get; init; }

    /// <summary>The caller's token: Ctrl-C, or the server cancelling the run.</summary>
    public required CancellationToken RunCancellation { get; init; }

    public TimeProvider Time => Request.TimeProvider;

    /// <summary>The host detached from the run (<see cref="RunRequest.Detach"/>): start nothing more.</summary>
    public bool Detached => Request.Detach.IsCancellationRequested;

    public ConcurrentQueue<JobRunResult> Jobs { get; } = new();

    /// <summary>The job instances a resumed run completed before (<see cref="RunRequest.CompletedJobs"/>), by key.</summary>
    public required IReadOnlyDictionary<string, CompletedJob> CompletedJobs { get; init; }

    /// <summary>The reason of a step or job that failed because the data folder cannot be written (read-only, full).</summary>
    public string DataFolderFailure(Exception exception) => $"The data folder {DataDirectory} cannot be written: {exception.Message}";

    /// <summary>
    /// A new directory for one job instance under the run directory, named after its key and unique: a
    /// resumed run finds the directories of its earlier jobs there and leaves them (and their logs) alone.
    /// </summary>
    public string CreateJobDirectory(string jobKey)
    {
        var slug = Slug(jobKey);
        string path;
        do
        {
            var count = _directoryNames.AddOrUpdate(slug, 1, (_, n) => n + 1);
            path = Path.Combine(RunDirectory, "jobs", count == 1 ? slug : $"{slug}-{count}");
        }
        while (Directory.Exists(path));

        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>A name safe as a file name: letters, digits, '-', '_' and '.'; others become '-'.</summary>
    public static string Slug(string text)
    {
        var chars = text.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '-').ToArray();
        var slug = new string(chars).Trim('-', '.');
        if (slug.Length > 60)
        {
            slug = slug[..60];
        }

        return slug.Length == 0 ? "job" : slug;
    }
}
