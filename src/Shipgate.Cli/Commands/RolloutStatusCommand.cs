using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Shipgate.Delivery.Rollouts;
using Shipgate.Server.Api;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Shipgate.Cli.Commands;

/// <summary>
/// <c>shipgate rollout status [DEPLOYMENT] [--watch] [--json]</c>: a running rollout's step (of N), its weights, each
/// release's request rate, error rate, p50 and p99, and the last analysis decision with its numbers; without
/// DEPLOYMENT every running one. <c>--watch</c> redraws each second until the rollout ends (or Ctrl-C).
/// </summary>
internal static class RolloutStatusCommand
{
    private static readonly TimeSpan Refresh = TimeSpan.FromSeconds(1);

    public static Command Create()
    {
        var deployment = new Argument<long?>("deployment") { Description = "The deployment's id; default every running rollout.", Arity = ArgumentArity.ZeroOrOne };
        var watch = new Option<bool>("--watch") { Description = "Redraw each second until the rollout ends." };
        var json = new Option<bool>("--json") { Description = "Print JSON." };
        var status = new Command("status", "Show a running rollout: its step, weights, traffic per release and last analysis decision.") { deployment, watch, json };
        status.SetAction((parse, cancellationToken) => ServerConnection.RunAsync(async client =>
        {
            var id = parse.GetValue(deployment);
            async Task<DeploymentResponse[]> ReadAsync() => id is { } one
                ? [await client.GetDeploymentAsync(one, cancellationToken).ConfigureAwait(false)]
                : await client.ListRunningDeploymentsAsync(cancellationToken).ConfigureAwait(false);

            var deployments = await ReadAsync().ConfigureAwait(false);
            if (parse.GetValue(json))
            {
                Console.Out.WriteLine(JsonSerializer.Serialize(deployments, ApiJsonContext.Default.DeploymentResponseArray));
                return CliHost.Success;
            }

            if (!parse.GetValue(watch))
            {
                AnsiConsole.Write(Render(deployments));
                return CliHost.Success;
            }

            await AnsiConsole.Live(Render(deployments)).StartAsync(async live =>
            {
                while (!cancellationToken.IsCancellationRequested && deployments.Any(d => d.Status is "progressing" or "paused"))
                {
                    await Task.Delay(Refresh, cancellationToken).ConfigureAwait(false);
                    deployments = await ReadAsync().ConfigureAwait(false);
                    live.UpdateTarget(Render(deployments));
                }
            }).ConfigureAwait(false);
            return CliHost.Success;
        }));
        return new Command("rollout", "Follow progressive rollouts.") { status };
    }

    private static IRenderable Render(IReadOnlyList<DeploymentResponse> deployments)
    {
        if (deployments.Count == 0)
        {
            return new Text("No rollout is running.");
        }

        return new Rows(deployments.Select(Render));
    }

    private static IRenderable Render(DeploymentResponse deployment)
    {
        var rows = new List<IRenderable>
        {
            new Text($"Deployment {deployment.Id}: {deployment.Service} {deployment.Version} to {deployment.Environment} ({deployment.Strategy}), {deployment.Status}"
                + (deployment.Reason is { } reason ? $": {reason}" : "")),
        };
        if (deployment.DecidedBy is { } decidedBy)
        {
            rows.Add(new Text($"Decided by {decidedBy}"));
        }

        if (deployment.Progress is not { } progress)
        {
            return new Panel(new Rows(rows)).Expand();
        }

        var step = progress.Step == 0 ? "starting" : progress.Step > progress.Steps ? "all steps done" : $"step {progress.Step} of {progress.Steps} ({progress.StepKind})";
        rows.Add(new Text(progress.Flag is { } flag
            ? $"{step}; flag {flag} on for {Percent(progress.CanaryPermille)} of users; {progress.CanaryVersion} serves"
            : $"{step}; {progress.CanaryVersion} {Percent(progress.CanaryPermille)}, {progress.StableVersion} {Percent(1000 - progress.CanaryPermille)}"
            + (progress.MirrorPermille > 0 ? $", mirror {Percent(progress.MirrorPermille)}" : "")
            + (progress.HeaderRoutes.Count > 0 ? $", header routes: {string.Join("; ", progress.HeaderRoutes)}" : "")));
        if (progress.WaitingFor is { } waiting)
        {
            rows.Add(new Markup($"[yellow]Waiting for {Markup.Escape(waiting)}[/]"));
        }

        var traffic = new Table().AddColumns(progress.Flag is null ? "RELEASE" : "FLAG", "ROLE", progress.Flag is null ? "WEIGHT" : "SHARE", "REQ/S", "REQUESTS", "ERROR RATE", "P50 MS", "P99 MS");
        foreach (var release in progress.Traffic)
        {
            traffic.AddRow(release.Version, release.Role, Percent(release.Permille), Number(release.RequestsPerSecond), release.Requests.ToString(CultureInfo.InvariantCulture),
                release.ErrorRate.ToString("P2", CultureInfo.InvariantCulture), Number(release.P50Ms), Number(release.P99Ms));
        }

        rows.Add(traffic);
        if (progress.Shadow is { } shadow)
        {
            rows.Add(Shadow(shadow));
        }

        if (progress.LastDecision is { } decision)
        {
            rows.Add(new Text($"Last look: {decision.Outcome.ToString().ToLowerInvariant()}: {decision.Reason}"));
            var numbers = new Table().AddColumns("METRIC", "OUTCOME", "SUMMARY", "NUMBERS");
            foreach (var measurement in decision.Measurements)
            {
                numbers.AddRow(
                    Markup.Escape(measurement.Metric),
                    measurement.Outcome.ToString().ToLowerInvariant(),
                    Markup.Escape(measurement.Summary),
                    Markup.Escape(string.Join(", ", measurement.Values.Select(v => $"{v.Key} {v.Value.ToString("G4", CultureInfo.InvariantCulture)}"))));
            }

            rows.Add(numbers);
        }

        return new Panel(new Rows(rows)).Expand();
    }

    /// <summary>The shadow phase's comparison, and its latest mismatching pairs with both answers (masked by the edge).</summary>
    private static Rows Shadow(ShadowReport shadow)
    {
        var rows = new List<IRenderable>
        {
            new Text($"Shadow: {shadow.Summary()}; compares {shadow.Compares}; at least {shadow.MinRequests} pair(s) before the rate counts"
                + (shadow.NotCompared > 0 ? $"; {shadow.NotCompared} not compared" : "")),
        };
        if (shadow.Examples.Count == 0)
        {
            return new Rows(rows);
        }

        var examples = new Table().AddColumns("AT", "MISMATCH", "NEW", "STABLE");
        foreach (var example in shadow.Examples.TakeLast(5))
        {
            examples.AddRow(
                new Text(example.At.ToString("HH:mm:ss", CultureInfo.InvariantCulture)),
                new Text(ShadowReport.Describe(example)),
                new Text(Cut(example.MirrorBody)),
                new Text(Cut(example.PrimaryBody)));
        }

        rows.Add(examples);
        return new Rows(rows);
    }

    private static string Cut(string? body) => body is null ? "-" : body.Length <= 200 ? body : body[..200] + "…";

    private static string Percent(int permille) => string.Create(CultureInfo.InvariantCulture, $"{permille / 10.0:0.#}%");

    private static string Number(double? value) => value is { } v ? v.ToString("0.##", CultureInfo.InvariantCulture) : "-";
}
