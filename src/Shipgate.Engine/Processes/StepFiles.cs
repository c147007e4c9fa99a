namespace Shipgate.Engine.Processes;

/// <summary>
/// The files the engine writes for one step's process (its script, its five file-command files): a new name per
/// step, readable and writable by their owner only (0600, as they may hold inlined secrets), removed after the
/// step. A new name per step keeps a background process of an earlier step from writing into a later step's files.
/// </summary>
/// <remarks>
/// Every such file is created here: when steps run as another user than the server, this is the one place that
/// gives the files to that user.
/// </remarks>
public static class StepFiles
{
    /// <summary>Creates the file at <paramref name="path"/> (which must not exist) with <paramref name="content"/>, mode 0600.</summary>
    public static void Create(string path, ReadOnlySpan<byte> content)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.ReadWrite | FileShare.Delete };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using var stream = new FileStream(path, options);
        stream.Write(content);
    }

    /// <summary>Removes the file at <paramref name="path"/> after the step; a file the step already removed or made unremovable is left.</summary>
    public static void Delete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The step replaced the file with a directory or took our permission away: RUNNER_TEMP goes with the job.
        }
    }
}
