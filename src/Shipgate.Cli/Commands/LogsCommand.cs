using System.CommandLine;
using System.Text.Json;
using Shipgate.Server.Client;

namespace Shipgate.Cli.Commands;

/// <summary>
/// <c>shipgate logs RUN [--job J] [--follow] [--raw]</c> (or <c>shipgate logs --service S --env E [--follow]</c>: a deployed
/// service's instance output through the server and the edge): prints what a run's steps printed, from the server's
/// event stream; with --follow, keeps printing until the run completes, resuming after a dropped connection.
/// Terminal control sequences are removed (<see cref="TerminalText"/>; colours kept on a terminal) unless --raw.
/// Exit 0, or 1 when the followed run did not succeed.
/// </summary>
internal static class LogsCommand
{
    public static Command Create()
    {
        var run = new Argument<long?>("run") { Description = "The run's id (not with --service).", Arity = ArgumentArity.ZeroOrOne };
        var service = new Option<string?>("--service") { Description = "Print a deployed service's instance output instead (with --env)." };
        var environment = new Option<string?>("--env") { Description = "The service's environment." };
        var project = new Option<string?>("--project") { Description = "The service's project (optional)." };
        var tail = new Option<int>("--tail") { Description = "With --service: how many lines from the end (default 100).", DefaultValueFactory = _ => 100 };
        var job = new Option<string?>("--job") { Description = "Only this job (and its matrix legs)." };
        var follow = new Option<bool>("--follow", "-f") { Description = "Keep printing until the run completes." };
        var raw = new Option<bool>("--raw") { Description = "Print the lines as the steps wrote them, terminal control sequences included." };
        var command = new Command("logs", "Print a run's logs, or with --service a deployed service's output.") { run, job, follow, raw, service, environment, project, tail };
        command.SetAction((parse, cancellationToken) => ServerConnection.RunAsync(async client =>
        {
            if (parse.GetValue(service) is { } serviceName)
            {
                if (parse.GetValue(environment) is not { Length: > 0 } environmentName || parse.GetValue(run) is not null || parse.GetValue(job) is not null)
                {
                    throw new UserInputException("'shipgate logs --service S' needs --env E, and takes no run or --job.");
                }

                return await PrintServiceAsync(client, serviceName, environmentName, parse.GetValue(project), parse.GetValue(tail), parse.GetValue(follow), Sanitizer(parse.GetValue(raw)), cancellationToken).ConfigureAwait(false);
            }

            if (parse.GetValue(run) is not { } runId)
            {
                throw new UserInputException("'shipgate logs' needs a run id, or --service S --env E.");
            }

            var path = $"api/v1/runs/{runId}/logs?follow={(parse.GetValue(follow) ? "true" : "false")}"
                + (parse.GetValue(job) is { } name ? "&job=" + Uri.EscapeDataString(name) : "");
            string? last = null;
            for (var attempt = 0; ; attempt++)
            {
                try
                {
                    return await PrintAsync(client, path, last, parse.GetValue(job) is null, Sanitizer(parse.GetValue(raw)), id => last = id, cancellationToken).ConfigureAwait(false);
                }
                catch (IOException) when (parse.GetValue(follow) && attempt < 5)
                {
                    // The connection dropped mid-stream: resume after the last line printed.
                    await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
                }
            }
        }));
        return command;
    }

    /// <summary>What is done to each text from the run before it is printed: nothing with --raw, else <see cref="TerminalText.Strip"/>.</summary>
    private static Func<string, string> Sanitizer(bool raw)
    {
        var colours = !Console.IsOutputRedirected;
        return raw ? text => text : text => TerminalText.Strip(text, colours);
    }

    private static async Task<int> PrintAsync(
        ShipgateApiClient client, string path, string? lastEventId, bool showJob, Func<string, string> safe, Action<string> seen, CancellationToken cancellationToken)
    {
        using var response = await client.OpenStreamAsync(path, lastEventId, cancellationToken).ConfigureAwait(false);
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        var output = Console.Out;
        await foreach (var item in ServerSentEventReader.ReadAsync(stream, cancellationToken).ConfigureAwait(false))
        {
            if (item.Id is { } id)
            {
                seen(id);
            }

            using var data = JsonDocument.Parse(item.Data);
            var payload = data.RootElement;
            switch (item.Event)
            {
                case "step":
                    await output.WriteLineAsync(safe($"==> {Text(payload, "jobKey")}: {Text(payload, "name")}")).ConfigureAwait(false);
                    break;
                case "output":
                    await output.WriteLineAsync(safe(showJob ? $"{Text(payload, "jobKey")} | {Text(payload, "line")}" : Text(payload, "line"))).ConfigureAwait(false);
                    break;
                case "end":
                    await output.FlushAsync(cancellationToken).ConfigureAwait(false);
                    var conclusion = Text(payload, "conclusion");
                    return Text(payload, "status") == "completed" && conclusion != "success" ? CliHost.Failed : CliHost.Success;
            }
        }

        throw new IOException("The log stream ended before the run did.");
    }

    /// <summary>Prints a service's instance output as the edge gives it through the server (each line prefixed with its instance).</summary>
    private static async Task<int> PrintServiceAsync(
        ShipgateApiClient client, string service, string environment, string? project, int tail, bool follow, Func<string, string> safe, CancellationToken cancellationToken)
    {
        using var response = await client.OpenServiceLogsAsync(service, environment, project, Math.Max(0, tail), follow, cancellationToken).ConfigureAwait(false);
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var reader = new StreamReader(stream);
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            await Console.Out.WriteLineAsync(safe(line)).ConfigureAwait(false);
        }

        return CliHost.Success;
    }

    private static string Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : "";
}
