using Shipgate.Delivery.Configuration;
using Shipgate.Engine.Actions;
using Shipgate.Server.Git;

namespace Shipgate.Server.Deployments;

/// <summary>What shipgate/deploy and shipgate/verify read before they act: shipgate.yml at the run's commit, the job's environment, the service.</summary>
internal static class DeploymentConfiguration
{
    /// <summary>
    /// The service and environment the step deploys or checks, read from shipgate.yml at the run's commit (or, for a
    /// commit git cannot show, the working tree of <c>shipgate run</c>); else one sentence saying what is missing.
    /// An environment that shipgate.yml does not declare gets the defaults.
    /// </summary>
    public static async Task<(ServiceDefinition? Service, EnvironmentDefinition? Environment, string? Failure)> LoadAsync(IActionContext context, string action, CancellationToken cancellationToken)
    {
        var service = context.GetInput("service");
        if (service.Length == 0)
        {
            return (null, null, $"{action} needs the input 'service': the name of a service in {ShipgateConfig.FileName}.");
        }

        if (context.EnvironmentName is not { Length: > 0 } environment)
        {
            return (null, null, $"{action} deploys to the job's environment, and this job has none: add 'environment: NAME' to the job.");
        }

        string? text = null;
        foreach (var file in ConfigPaths(context))
        {
            text = await new GitRepository(context.RepositoryDirectory).ReadFileAsync(context.Sha, file, cancellationToken).ConfigureAwait(false);
            var path = Path.Combine(context.RepositoryDirectory, file);
            if (text is null && File.Exists(path))
            {
                text = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
            }

            if (text is not null)
            {
                break;
            }
        }

        if (text is null)
        {
            return (null, null, $"The repository has no {ShipgateConfig.FileName} at commit {context.Sha[..Math.Min(7, context.Sha.Length)]}, so service '{service}' is not declared.");
        }

        var loaded = ShipgateConfigLoader.LoadText(text, ShipgateConfig.FileName);
        if (loaded.Config is not { } config)
        {
            return (null, null, $"{ShipgateConfig.FileName} is not valid, so nothing is deployed: {loaded.Errors.First()}");
        }

        if (config.FindService(service) is not { } definition)
        {
            return (null, null, $"{ShipgateConfig.FileName} declares no service '{service}'{(config.Services.Count == 0 ? "" : $"; it declares {string.Join(", ", config.Services.Select(s => s.Name))}")}.");
        }

        var environmentDefinition = config.FindEnvironment(environment) ?? new EnvironmentDefinition { Name = environment.ToLowerInvariant(), Location = new(ShipgateConfig.FileName, 1, 1) };

        // On a server the environment's rules are those the job's gate passed: the protected branch's, which the run's
        // commit can only tighten (ADR 0013), so a branch cannot deploy without its smoke tests or claim another host.
        if (context.GetService<ServiceDeployments>() is { } records)
        {
            var (trusted, refusal) = await records.TrustedEnvironmentAsync(context.RunId, environment, config.FindEnvironment(environment), cancellationToken).ConfigureAwait(false);
            if (refusal is not null)
            {
                return (null, null, refusal);
            }

            environmentDefinition = trusted ?? environmentDefinition;
        }

        return (definition, environmentDefinition, null);
    }

    /// <summary>
    /// Where shipgate.yml is looked for: the repository's root, then beside the <c>.github</c> (or <c>.shipgate</c>) folder
    /// the run's workflow is in, for a project kept in a folder of a larger repository that <c>shipgate run</c> runs from
    /// there (the bundled sample). The server's workflows are at the root, so there the two are one.
    /// </summary>
    internal static IEnumerable<string> ConfigPaths(IActionContext context)
    {
        yield return ShipgateConfig.FileName;
        if (context.Environment.GetValueOrDefault("GITHUB_WORKFLOW_REF") is not { } workflowRef
            || context.Environment.GetValueOrDefault("GITHUB_REPOSITORY") is not { } repository
            || !workflowRef.StartsWith(repository + "/", StringComparison.Ordinal))
        {
            yield break;
        }

        var workflow = workflowRef[(repository.Length + 1)..];
        workflow = workflow[..(workflow.LastIndexOf('@') is var at and >= 0 ? at : workflow.Length)];
        foreach (var folder in (string[])["/.github/workflows/", "/.shipgate/workflows/"])
        {
            if (workflow.IndexOf(folder, StringComparison.Ordinal) is var index and > 0 && !workflow[..index].Split('/').Contains(".."))
            {
                yield return workflow[..index] + "/" + ShipgateConfig.FileName;
                yield break;
            }
        }
    }

    /// <summary>The sentence a step fails with when the host has no edge.</summary>
    public static string NoEdge(string action) =>
        $"{action} has no edge to deploy to: no edge is configured (set Shipgate:Edge:Admin for the server, or let 'shipgate run' start its local edge).";
}
