namespace Shipgate.Engine.Steps;

/// <summary>
/// The file-command files of one step invocation (GITHUB_OUTPUT, GITHUB_ENV, GITHUB_PATH, GITHUB_STATE,
/// GITHUB_STEP_SUMMARY), created empty under the job's temp directory as the runner does.
/// </summary>
internal sealed class StepFiles
{
    private StepFiles(string directory, string id)
    {
        Output = Path.Combine(directory, $"set_output_{id}");
        Env = Path.Combine(directory, $"set_env_{id}");
        AddPath = Path.Combine(directory, $"add_path_{id}");
        State = Path.Combine(directory, $"save_state_{id}");
        StepSummary = Path.Combine(directory, $"step_summary_{id}");
    }

    public string Output { get; }

    public string Env { get; }

    public string AddPath { get; }

    public string State { get; }

    public string StepSummary { get; }

    public static StepFiles Create(string tempDirectory)
    {
        var directory = Path.Combine(tempDirectory, "_runner_file_commands");
        Directory.CreateDirectory(directory);
        var files = new StepFiles(directory, Guid.NewGuid().ToString("N"));
        foreach (var path in (string[])[files.Output, files.Env, files.AddPath, files.State, files.StepSummary])
        {
            File.WriteAllBytes(path, []);
        }

        return files;
    }

    public void AddTo(IDictionary<string, string> environment)
    {
        environment["GITHUB_OUTPUT"] = Output;
        environment["GITHUB_ENV"] = Env;
        environment["GITHUB_PATH"] = AddPath;
        environment["GITHUB_STATE"] = State;
        environment["GITHUB_STEP_SUMMARY"] = StepSummary;
    }

    public void Delete()
    {
        foreach (var path in (string[])[Output, Env, AddPath, State])
        {
            try
            {
                File.Delete(path);
            }
            catch (IOException)
            {
                // A file still held by a leftover process is removed with the job's temp directory.
            }
        }
    }
}
