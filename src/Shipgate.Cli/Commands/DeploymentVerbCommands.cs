using System.CommandLine;
using System.Text.Json;
using Shipgate.Server.Api;

namespace Shipgate.Cli.Commands;

/// <summary>
/// <c>shipgate promote DEPLOYMENT [--full]</c>, <c>abort</c>, <c>pause</c>, <c>resume</c>, <c>retry</c>: verbs on a
/// running canary (retry: on a rolled-back or aborted one), for approvers of its environment; audited. Exit 0 when the
/// verb was given, 3 not permitted, 4 no such deployment or it cannot take the verb now.
/// </summary>
internal static class DeploymentVerbCommands
{
    public static IEnumerable<Command> Create() =>
    [
        Verb("promote", "End a canary's pause or wait and go on to its next step; --full skips every remaining step.", full: true),
        Verb("abort", "Roll a running deployment back now: all traffic to stable, the new release stopped."),
        Verb("pause", "Hold a running canary at its current split after the current step (looks and guardrails go on)."),
        Verb("resume", "Let a paused canary go on."),
        Verb("retry", "Run a rolled-back or aborted canary again from its first step, as a new deployment."),
    ];

    private static Command Verb(string verb, string description, bool full = false)
    {
        var deployment = new Argument<long>("deployment") { Description = "The deployment's id (shipgate rollout status, shipgate deployments)." };
        var fullOption = new Option<bool>("--full") { Description = "Skip every remaining step: all traffic to the new release now." };
        var reason = new Option<string?>("--reason") { Description = "Why, for the audit log." };
        var json = new Option<bool>("--json") { Description = "Print JSON." };
        var command = new Command(verb, description) { deployment, reason, json };
        if (full)
        {
            command.Options.Add(fullOption);
        }

        command.SetAction((parse, cancellationToken) => ServerConnection.RunAsync(async client =>
        {
            var id = parse.GetValue(deployment);
            var request = new DeploymentVerbRequest(full && parse.GetValue(fullOption), parse.GetValue(reason));
            var answer = await client.DeploymentVerbAsync(id, verb, request, cancellationToken).ConfigureAwait(false);
            if (parse.GetValue(json))
            {
                Console.Out.WriteLine(JsonSerializer.Serialize(answer, ApiJsonContext.Default.DeploymentResponse));
            }
            else
            {
                var release = $"{answer.Service} {answer.Version} in {answer.Environment}";
                Console.Out.WriteLine(verb == "retry"
                    ? $"Deployment {answer.Id} runs the canary of {release} again; 'shipgate rollout status {answer.Id} --watch' follows it."
                    : $"{(request.Full ? "promote --full" : verb)} given to deployment {id} ({release}); it acts at once.");
            }

            return CliHost.Success;
        }));
        return command;
    }
}
