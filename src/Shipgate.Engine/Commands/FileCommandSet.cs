using System.Text;
using Shipgate.Engine.Masking;
using Shipgate.Engine.Processes;
using Shipgate.Engine.Runs;

namespace Shipgate.Engine.Commands;

/// <summary>
/// The file commands of one step: empty files whose paths the step gets as GITHUB_OUTPUT, GITHUB_ENV,
/// GITHUB_PATH, GITHUB_STATE and GITHUB_STEP_SUMMARY, read after the step ends and reported to the
/// <see cref="IWorkflowCommandSink"/>. Reading is bounded: a file over <see cref="MaxFileBytes"/> is an error,
/// and a step summary over <see cref="MaxSummaryBytes"/> is refused, as on GitHub.
/// </summary>
/// <remarks>
/// Each step gets five new files (mode 0600, see <see cref="StepFiles"/>), as on GitHub, whose runner creates new
/// ones per step; <see cref="Delete"/> removes them after the step.
/// </remarks>
public sealed class FileCommandSet
{
    /// <summary>The largest GITHUB_OUTPUT, GITHUB_ENV, GITHUB_STATE or GITHUB_PATH file read (16 MiB); GitHub reads any size.</summary>
    public const long MaxFileBytes = 16L * 1024 * 1024;

    /// <summary>GitHub's limit for a step summary: 1 MiB.</summary>
    public const long MaxSummaryBytes = 1024L * 1024;

    private readonly string _output;
    private readonly string _env;
    private readonly string _path;
    private readonly string _state;
    private readonly string _summary;

    private FileCommandSet(string directory, string suffix)
    {
        _output = Path.Combine(directory, $"set_output_{suffix}");
        _env = Path.Combine(directory, $"set_env_{suffix}");
        _path = Path.Combine(directory, $"add_path_{suffix}");
        _state = Path.Combine(directory, $"save_state_{suffix}");
        _summary = Path.Combine(directory, $"step_summary_{suffix}");
    }

    /// <summary>The variables to add to the step's environment, each naming its (empty) file.</summary>
    public IReadOnlyDictionary<string, string> EnvironmentVariables => new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["GITHUB_OUTPUT"] = _output,
        ["GITHUB_ENV"] = _env,
        ["GITHUB_PATH"] = _path,
        ["GITHUB_STATE"] = _state,
        ["GITHUB_STEP_SUMMARY"] = _summary,
    };

    /// <summary>Makes the five empty files in <paramref name="directory"/> (e.g. RUNNER_TEMP/_runner_file_commands).</summary>
    public static FileCommandSet Create(string directory)
    {
        Directory.CreateDirectory(directory);
        var set = new FileCommandSet(Path.GetFullPath(directory), Guid.NewGuid().ToString());
        foreach (var file in set.Files)
        {
            StepFiles.Create(file, []);
        }

        return set;
    }

    /// <summary>
    /// Reads the files the step wrote and reports them to <paramref name="sink"/>: paths, environment variables,
    /// the summary (masked), state, outputs. A malformed file reports GitHub's errors and fails the step; the
    /// entries before the error are kept. Missing files (deleted by the step) are skipped.
    /// </summary>
    public void Process(IWorkflowCommandSink sink, SecretMasker masker)
    {
        ProcessFile(sink, masker, _path, "path", text =>
        {
            foreach (var line in text.Split(["\r\n", "\n", "\r"], StringSplitOptions.None))
            {
                if (line.Length > 0)
                {
                    sink.AddPath(line);
                }
            }

            return null;
        });
        ProcessFile(sink, masker, _env, "env", text => KeyValueFileParser.Parse(text, (name, value) =>
        {
            if (name.Equals("NODE_OPTIONS", StringComparison.OrdinalIgnoreCase))
            {
                sink.AddAnnotation(new WorkflowAnnotation(AnnotationLevel.Error, "Can't store NODE_OPTIONS output parameter using '$GITHUB_ENV' command."));
                return;
            }

            sink.SetEnvironmentVariable(name, value);
        }, warning => Warn(sink, masker, warning)));
        ProcessSummary(sink, masker);
        ProcessFile(sink, masker, _state, "state", text => KeyValueFileParser.Parse(text, sink.SaveState, warning => Warn(sink, masker, warning)));
        ProcessFile(sink, masker, _output, "output", text => KeyValueFileParser.Parse(text, sink.SetOutput, warning => Warn(sink, masker, warning)));
    }

    /// <summary>After <see cref="Process"/>: removes the files.</summary>
    public void Delete()
    {
        foreach (var file in Files)
        {
            StepFiles.Delete(file);
        }
    }

    private IEnumerable<string> Files => [_output, _env, _path, _state, _summary];

    private static void ProcessFile(IWorkflowCommandSink sink, SecretMasker masker, string file, string name, Func<string, string?> parse)
    {
        var error = ReadBounded(file, MaxFileBytes, out var text);
        if (error is null && text is not null)
        {
            error = parse(text);
        }

        if (error is not null)
        {
            sink.AddAnnotation(new WorkflowAnnotation(AnnotationLevel.Error, $"Unable to process file command '{name}' successfully."));
            sink.AddAnnotation(new WorkflowAnnotation(AnnotationLevel.Error, masker.Mask(error)));
            sink.FailStep();
        }
    }

    private void ProcessSummary(IWorkflowCommandSink sink, SecretMasker masker)
    {
        var error = ReadBounded(_summary, MaxSummaryBytes, out var text);
        if (error is not null)
        {
            // GitHub reports an oversized summary without failing the step.
            sink.AddAnnotation(new WorkflowAnnotation(AnnotationLevel.Error, error));
            return;
        }

        if (string.IsNullOrEmpty(text))
        {
            return;
        }

        var masked = new StringBuilder(text.Length);
        foreach (var line in text.Split('\n'))
        {
            masked.Append(masker.Mask(line)).Append('\n');
        }

        masked.Length--;
        sink.AppendSummary(masked.ToString());
    }

    private static string? ReadBounded(string file, long limit, out string? text)
    {
        text = null;
        try
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            if (stream.Length > limit)
            {
                return limit == MaxSummaryBytes
                    ? $"$GITHUB_STEP_SUMMARY upload aborted, supports content up to a size of {limit / 1024}k, got {stream.Length / 1024}k. For more information see: https://docs.github.com/actions/using-workflows/workflow-commands-for-github-actions#adding-a-markdown-summary"
                    : $"The file is {stream.Length / 1024 / 1024} MiB; Shipgate reads file commands up to {limit / 1024 / 1024} MiB.";
            }

            // Read at most the limit, even if the step is still appending (a background process may be).
            var buffer = new byte[Math.Min(stream.Length, limit)];
            stream.ReadExactly(buffer);
            text = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false).GetString(buffer);
            if (text.Length > 0 && text[0] == '\uFEFF')
            {
                text = text[1..];
            }

            return null;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    private static void Warn(IWorkflowCommandSink sink, SecretMasker masker, string message) =>
        sink.AddAnnotation(new WorkflowAnnotation(AnnotationLevel.Warning, masker.Mask(message)));
}
