using System.Globalization;
using Shipgate.Engine.Artifacts;

namespace Shipgate.Engine.Actions.Builtin;

/// <summary>
/// <c>actions/download-artifact</c> (v3 and v4 inputs) from the run's <see cref="ArtifactStore"/>: one artifact
/// by <c>name</c> into <c>path</c>, or every artifact (matching <c>pattern</c>) into <c>path/NAME</c>, or all
/// into <c>path</c> with <c>merge-multiple</c>. <c>run-id</c>, <c>repository</c> and <c>github-token</c> are ignored.
/// </summary>
internal sealed class DownloadArtifactAction(TimeProvider timeProvider) : IBuiltinAction
{
    public string Key => "actions/download-artifact";

    public async Task<ActionResult> RunAsync(IActionContext context, CancellationToken cancellationToken = default)
    {
        var name = context.GetInput("name").Trim();
        var pattern = context.GetInput("pattern").Trim();
        var ids = context.GetInput("artifact-ids").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (context.GetBoolean("merge-multiple", false) is not { } mergeMultiple)
        {
            return ActionInputs.Invalid("merge-multiple", context.GetInput("merge-multiple"), "true or false");
        }

        if (name.Length > 0 && ids.Length > 0)
        {
            return ActionResult.Failure("Inputs 'name' and 'artifact-ids' cannot be used together; give one of them.");
        }

        var destination = context.ResolvePath(context.GetInput("path", "."));
        var store = context.GetService<ArtifactStore>() ?? ArtifactStore.ForDataDirectory(context.DataDirectory, timeProvider);
        var available = store.ListRun(context.RunId);
        if (name.Length > 0)
        {
            var artifact = available.FirstOrDefault(a => a.Name == name);
            if (artifact is null)
            {
                return ActionResult.Failure(NotFound(name, context.RunId, available));
            }

            if (await DownloadAsync(context, store, artifact, destination, cancellationToken).ConfigureAwait(false) is { } refused)
            {
                return ActionResult.Failure(refused);
            }
        }
        else
        {
            var selected = available.AsEnumerable();
            if (ids.Length > 0)
            {
                var missing = ids.Where(id => !available.Any(a => a.Id.ToString(CultureInfo.InvariantCulture) == id)).ToArray();
                if (missing.Length > 0)
                {
                    return ActionResult.Failure($"No artifact with id {string.Join(", ", missing)} exists in run {context.RunId}.");
                }

                selected = selected.Where(a => ids.Contains(a.Id.ToString(CultureInfo.InvariantCulture)));
            }

            if (pattern.Length > 0)
            {
                var matcher = PathPattern.Parse(pattern, p => "/" + p)!;
                selected = selected.Where(a => matcher.Matches("/" + a.Name));
            }

            var list = selected.ToArray();
            if (list.Length == 0)
            {
                context.Log(pattern.Length > 0 ? $"No artifacts of run {context.RunId} match the pattern '{pattern}'." : $"Run {context.RunId} has no artifacts to download.");
            }

            foreach (var artifact in list)
            {
                var target = mergeMultiple ? destination : Path.Combine(destination, artifact.Name);
                if (await DownloadAsync(context, store, artifact, target, cancellationToken).ConfigureAwait(false) is { } refused)
                {
                    return ActionResult.Failure(refused);
                }
            }
        }

        context.SetOutput("download-path", destination);
        return ActionResult.Success;
    }

    /// <summary>Unpacks the artifact; the sentence that says why nothing was written when a file would go through a link out of the workspace.</summary>
    private static async Task<string?> DownloadAsync(IActionContext context, ArtifactStore store, ArtifactRecord artifact, string destination, CancellationToken cancellationToken)
    {
        ArtifactManifest manifest;
        try
        {
            manifest = await store.ExtractAsync(artifact.Digest, destination, PathConfinement.ForJob(context), cancellationToken).ConfigureAwait(false);
        }
        catch (UnauthorizedAccessException ex)
        {
            return $"Artifact {artifact.Name} was not downloaded: {ex.Message}";
        }

        context.Log($"Artifact {artifact.Name} ({artifact.Digest}, {manifest.Files.Count} file(s)) downloaded to {destination}");
        return null;
    }

    /// <summary>One sentence: which artifact is missing and which ones the run has.</summary>
    internal static string NotFound(string name, string runId, IReadOnlyList<ArtifactRecord> available) => available.Count == 0
        ? $"Artifact '{name}' was not found: run {runId} has no artifacts yet (an artifact can be downloaded once the job that uploads it has run; add that job to needs)."
        : $"Artifact '{name}' was not found in run {runId}; the run has: {string.Join(", ", available.Select(a => a.Name).Order(StringComparer.Ordinal))}.";
}
