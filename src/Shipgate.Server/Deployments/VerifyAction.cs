using Shipgate.Delivery.Configuration;
using Shipgate.Delivery.Edge;
using Shipgate.Delivery.Rollouts;
using Shipgate.Engine.Actions;

namespace Shipgate.Server.Deployments;

/// <summary>
/// <c>uses: shipgate/verify@v1</c>: runs smoke checks against a release of a service in the job's environment,
/// through the edge with the version pinned. Inputs: service, version (default the one serving now), checks (a
/// YAML or JSON list of checks; default the environment's <c>smoke:</c>). Fails naming the first check that failed.
/// </summary>
internal sealed class VerifyAction(HttpClient smokeClient) : IBuiltinAction
{
    private const string Name = "shipgate/verify";

    public string Key => Name;

    public async Task<ActionResult> RunAsync(IActionContext context, CancellationToken cancellationToken = default)
    {
        var (service, environment, failure) = await DeploymentConfiguration.LoadAsync(context, Name, cancellationToken).ConfigureAwait(false);
        if (failure is not null)
        {
            return ActionResult.Failure(failure);
        }

        var checks = environment!.Smoke;
        if (context.GetInput("checks") is { Length: > 0 } text)
        {
            if (SmokeChecksParser.Parse(text, "checks", out var errors) is not { } parsed)
            {
                return ActionResult.Failure($"The input 'checks' is not a list of checks: {errors[0].Message}.");
            }

            checks = parsed;
        }

        if (checks.Count == 0)
        {
            return ActionResult.Failure($"There is nothing to verify: environment '{environment.Name}' has no smoke checks and the step gives no 'checks'.");
        }

        if (context.GetService<IEdgeClient>() is not { } edge)
        {
            return ActionResult.Failure(DeploymentConfiguration.NoEdge(Name));
        }

        try
        {
            var version = context.GetInput("version");
            if (version.Length == 0)
            {
                var status = await edge.GetServiceAsync(environment.Name, service!.Name, cancellationToken).ConfigureAwait(false);
                version = status?.Routing?.Weights.Where(w => w.Value > 0).OrderByDescending(w => w.Value).Select(w => w.Key).FirstOrDefault() ?? "";
                if (version.Length == 0)
                {
                    return ActionResult.Failure($"{service.Name} does not serve in {environment.Name}, so there is no live release to verify.");
                }
            }

            var listen = SmokeRunner.ListenAddress(await edge.GetInfoAsync(cancellationToken).ConfigureAwait(false));
            var target = new SmokeTarget(listen, SmokeRunner.ServiceHost(service!.Name, environment.Name), version);
            context.Log($"Verifying {service.Name} {version} in {environment.Name} ({checks.Count} check(s)).");
            var report = await DeploymentActions.Smoke(smokeClient, context).RunAsync(checks, target, cancellationToken).ConfigureAwait(false);
            foreach (var line in report.Lines)
            {
                context.Log("  " + line);
            }

            context.SetOutput("version", version);
            return report.Failure is null ? ActionResult.Success : ActionResult.Failure(report.Failure + ".");
        }
        catch (Exception ex) when (ex is EdgeUnavailableException or EdgeApiException)
        {
            return ActionResult.Failure($"The edge could not be asked: {ex.Message}");
        }
    }
}
