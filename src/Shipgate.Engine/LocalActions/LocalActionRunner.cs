using Shipgate.Core.Workflows;
using Shipgate.Engine.Actions;
using Shipgate.Engine.Runs;
using Shipgate.Engine.Steps;

namespace Shipgate.Engine.LocalActions;

/// <summary>Runs a local action (<c>uses: ./path</c> with an action.yml): composite or node.</summary>
internal static class LocalActionRunner
{
    public static async Task<StepBodyResult> RunAsync(
        StepDefinition step,
        ActionReference reference,
        IReadOnlyDictionary<string, string> with,
        StepScope scope,
        StepOutputSink sink,
        StepInvocation invocation,
        PreparedStep prepared,
        CancellationToken cancellationToken)
    {
        if (!TryLoad(reference, scope, out var manifest, out var error))
        {
            return StepBodyResult.Failure(error);
        }

        var inputs = ResolveInputs(manifest, with, scope, prepared, sink);
        if (manifest.Using == "composite")
        {
            return await CompositeActionRunner.RunAsync(manifest, inputs, scope, sink, invocation, prepared.StepEnv, cancellationToken).ConfigureAwait(false);
        }

        if (manifest.IsNode)
        {
            return await NodeActionRunner.RunMainAsync(manifest, step, inputs, scope, sink, invocation, prepared, cancellationToken).ConfigureAwait(false);
        }

        if (manifest.Using == "docker")
        {
            return StepBodyResult.Failure($"action {reference.LocalPath} is a Docker container action, which needs Docker; Shipgate runs steps on the host.");
        }

        return StepBodyResult.Failure($"{manifest.FilePath}: runs.using '{manifest.Using}' is not supported (composite, node12, node16, node20 or node24).");
    }

    public static bool TryLoad(ActionReference reference, StepScope scope, out ActionManifest manifest, out string error)
    {
        var job = scope.Job;
        var directory = ActionManifestReader.FindDirectory(reference.LocalPath!, job.Workspace, job.Run.Request.RepositoryDirectory);
        if (directory is null)
        {
            manifest = null!;
            error = $"Can't find 'action.yml' or 'action.yaml' under '{reference.LocalPath}' in the workspace or the repository. Did you forget to run actions/checkout before running your local action?";
            return false;
        }

        if (!ActionManifestReader.TryRead(directory, out var read, out var readError))
        {
            manifest = null!;
            error = readError;
            return false;
        }

        manifest = read;
        error = "";
        return true;
    }

    /// <summary>The action's inputs: the step's <c>with:</c>, else each input's default (evaluated); undeclared inputs are kept.</summary>
    public static Dictionary<string, string> ResolveInputs(ActionManifest manifest, IReadOnlyDictionary<string, string> with, StepScope scope, PreparedStep prepared, StepOutputSink sink)
    {
        var inputs = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var input in manifest.Inputs)
        {
            if (with.TryGetValue(input.Name, out var given))
            {
                inputs[input.Name] = given;
            }
            else if (input.Default is { } token)
            {
                inputs[input.Name] = scope.Job.Run.Evaluator.EvaluateString(token, prepared.Context);
            }
            else
            {
                if (input.Required)
                {
                    sink.Annotate(AnnotationLevel.Warning, $"Input required and not supplied: {input.Name}");
                }

                inputs[input.Name] = "";
            }
        }

        var unexpected = with.Keys.Where(k => !manifest.Inputs.Any(i => string.Equals(i.Name, k, StringComparison.OrdinalIgnoreCase))).ToList();
        if (unexpected.Count > 0)
        {
            sink.Annotate(AnnotationLevel.Warning, $"Unexpected input(s) '{string.Join("', '", unexpected)}', valid inputs are ['{string.Join("', '", manifest.Inputs.Select(i => i.Name))}']");
            foreach (var name in unexpected)
            {
                inputs[name] = with[name];
            }
        }

        return inputs;
    }
}
