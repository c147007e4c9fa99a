using System.Globalization;
using Shipgate.Engine.Artifacts;
using Shipgate.Engine.Runs;

namespace Shipgate.Engine.Actions.Builtin;

/// <summary>
/// <c>actions/upload-artifact</c> (v3 and v4 inputs) into the run's <see cref="ArtifactStore"/>. As in v4, an
/// artifact is immutable: a second upload under the same name fails unless <c>overwrite: true</c>.
/// A path that reaches through a symbolic link out of the workspace, or into Shipgate's data folder, is left out with a
/// warning naming it, and the rest is uploaded (<see cref="PathConfinement"/>).
/// </summary>
internal sealed class UploadArtifactAction(TimeProvider timeProvider) : IBuiltinAction
{
    public string Key => "actions/upload-artifact";

    public async Task<ActionResult> RunAsync(IActionContext context, CancellationToken cancellationToken = default)
    {
        var name = context.GetInput("name", "artifact").Trim();
        var lines = context.GetLines("path");
        if (lines.Count == 0)
        {
            return ActionResult.Failure("Input required and not supplied: path");
        }

        var ifNoFilesFound = context.GetInput("if-no-files-found", "warn").Trim();
        if (ifNoFilesFound is not ("warn" or "error" or "ignore"))
        {
            return ActionInputs.Invalid("if-no-files-found", ifNoFilesFound, "warn, error or ignore");
        }

        var retention = context.GetInteger("retention-days", 0);
        if (retention is null or < 0)
        {
            return ActionInputs.Invalid("retention-days", context.GetInput("retention-days"), "a number of days");
        }

        if (context.GetBoolean("overwrite", false) is not { } overwrite)
        {
            return ActionInputs.Invalid("overwrite", context.GetInput("overwrite"), "true or false");
        }

        if (context.GetBoolean("include-hidden-files", false) is not { } includeHidden)
        {
            return ActionInputs.Invalid("include-hidden-files", context.GetInput("include-hidden-files"), "true or false");
        }

        if (ArtifactStore.ValidateName(name) is { } invalidName)
        {
            return ActionResult.Failure(invalidName);
        }

        var patterns = lines.Select(l => PathPattern.Parse(l, context.ResolvePath)).OfType<PathPattern>().ToArray();
        var search = FileSearch.Find(patterns, new FileSearchOptions { IncludeHiddenFiles = includeHidden, Confinement = PathConfinement.ForJob(context) });
        foreach (var refused in search.Refused)
        {
            context.Warning($"{Path.GetRelativePath(context.Workspace, refused.FullPath)} is not uploaded: {refused.Reason}.");
        }

        if (search.Paths.Count == 0)
        {
            var message = $"No files were found with the provided path: {string.Join(", ", lines)}. No artifacts will be uploaded.";
            switch (ifNoFilesFound)
            {
                case "error":
                    return ActionResult.Failure(message);
                case "warn":
                    context.Warning(message);
                    break;
                default:
                    context.Log(message);
                    break;
            }

            return ActionResult.Success;
        }

        context.Log($"With the provided path, there will be {search.Paths.Count} file(s) uploaded");
        context.Log($"The root directory of the artifact is {search.RootDirectory}");
        var files = search.Paths.Select(p => new ArtifactSourceFile(p.FullPath, search.RelativePath(p))).ToArray();
        var store = context.GetService<ArtifactStore>() ?? ArtifactStore.ForDataDirectory(context.DataDirectory, timeProvider);
        var result = await store.UploadAsync(context.RunId, name, files, overwrite, retention > 0 ? retention : null, cancellationToken).ConfigureAwait(false);
        if (result.Artifact is not { } artifact)
        {
            return ActionResult.Failure(result.Error!);
        }

        context.Log($"Artifact {name} has been uploaded: {artifact.FileCount} file(s), {artifact.Size} bytes, digest {artifact.Digest}, id {artifact.Id}.");
        // The run lists its artifacts with their digests (shipgate run --json); an overwrite replaces the entry.
        context.GetService<IRunArtifactRecorder>()?.Record(
            new RunArtifact(name, artifact.Digest, artifact.Size, context.Environment.GetValueOrDefault("GITHUB_JOB", "")));
        context.SetOutput("artifact-id", artifact.Id.ToString(CultureInfo.InvariantCulture));
        context.SetOutput("artifact-digest", artifact.Digest);
        return ActionResult.Success;
    }
}
