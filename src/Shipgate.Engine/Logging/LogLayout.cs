using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Shipgate.Engine.Logging;

/// <summary>
/// Where logs go under the data directory:
/// <c>&lt;data&gt;/runs/&lt;run-id&gt;/&lt;job&gt;/&lt;step-index&gt;-&lt;step-name&gt;.log</c>, and the job's summary
/// beside its steps (<c>summary.md</c>). Names are made safe for a file system: characters other than letters,
/// digits, '.', '_' and '-' become '-', and a name that had to change gets a short hash of the original so that
/// two matrix legs never share a directory.
/// </summary>
public sealed class LogLayout(string dataDirectory)
{
    private const int MaxSegmentLength = 64;

    /// <summary>The data directory (default <c>.shipgate/</c> of the repository).</summary>
    public string DataDirectory { get; } = dataDirectory;

    /// <summary><c>&lt;data&gt;/runs/&lt;run-id&gt;</c>.</summary>
    public string RunDirectory(string runId) => Path.Combine(DataDirectory, "runs", Segment(runId));

    /// <summary><c>&lt;data&gt;/runs/&lt;run-id&gt;/&lt;job&gt;</c>; <paramref name="jobKey"/> is the job id, with the matrix values for a leg.</summary>
    public string JobDirectory(string runId, string jobKey) => Path.Combine(RunDirectory(runId), Segment(jobKey));

    /// <summary>The log of step <paramref name="stepIndex"/> (1-based, zero-padded to three digits so files sort in order).</summary>
    public string StepLogPath(string runId, string jobKey, int stepIndex, string stepName) =>
        Path.Combine(JobDirectory(runId, jobKey), $"{stepIndex.ToString("D3", CultureInfo.InvariantCulture)}-{Segment(stepName)}.log");

    /// <summary>The job summary (the steps' GITHUB_STEP_SUMMARY, appended in order).</summary>
    public string JobSummaryPath(string runId, string jobKey) => Path.Combine(JobDirectory(runId, jobKey), "summary.md");

    /// <summary>A file name for <paramref name="name"/>: safe characters only, never empty, '.' or '..'.</summary>
    internal static string Segment(string name)
    {
        var builder = new StringBuilder(Math.Min(name.Length, MaxSegmentLength));
        foreach (var c in name)
        {
            var safe = char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' ? c : '-';
            if (safe == '-' && builder.Length > 0 && builder[^1] == '-')
            {
                continue;
            }

            builder.Append(safe);
        }

        var segment = builder.ToString().Trim('-', '.');
        if (segment.Length > MaxSegmentLength)
        {
            segment = segment[..MaxSegmentLength].TrimEnd('-', '.');
        }

        if (segment == name && segment.Length > 0)
        {
            return segment;
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(name)), 0, 4);
        return segment.Length == 0 ? hash : $"{segment}-{hash}";
    }
}
