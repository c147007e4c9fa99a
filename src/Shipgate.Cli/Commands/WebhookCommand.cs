using System.CommandLine;
using System.Text.Json;
using Shipgate.Server.Api;

namespace Shipgate.Cli.Commands;

/// <summary>
/// <c>shipgate webhook add URL [--format json|slack] [--project P] [--event E]... [--secret-stdin]</c>,
/// <c>shipgate webhook list [--json]</c> and <c>shipgate webhook remove ID</c>: the server's outgoing
/// webhooks (admin only). A signing secret is read from stdin, never from the command line.
/// </summary>
internal static class WebhookCommand
{
    public static Command Create()
    {
        var command = new Command("webhook", "Tell other systems (Slack, chat, scripts) about approvals, deployments and failures.");
        command.Subcommands.Add(CreateAdd());
        command.Subcommands.Add(CreateList());
        command.Subcommands.Add(CreateRemove());
        return command;
    }

    private static Command CreateAdd()
    {
        var url = new Argument<string>("url") { Description = "Where to post, e.g. a Slack incoming-webhook URL." };
        var format = new Option<string>("--format") { Description = "json (Shipgate's payload) or slack ({\"text\": ...}).", DefaultValueFactory = _ => "json" };
        format.AcceptOnlyFromAmong("json", "slack");
        var project = new Option<string?>("--project") { Description = "Only this project's events. Default: every project." };
        var events = new Option<string[]>("--event") { Description = "waiting, approved, rejected, deployed, failed or rolled-back (repeatable). Default: all." };
        var secretStdin = new Option<bool>("--secret-stdin") { Description = "Read a secret from stdin and sign each post with it (X-Shipgate-Signature-256)." };
        var command = new Command("add", "Add an outgoing webhook.") { url, format, project, events, secretStdin };
        command.SetAction((parse, cancellationToken) =>
        {
            string? secret = null;
            if (parse.GetValue(secretStdin))
            {
                secret = Console.In.ReadToEnd().TrimEnd('\r', '\n');
                if (secret.Length == 0)
                {
                    throw new UserInputException("No secret on stdin: pipe it in, e.g. 'printf %s \"$SECRET\" | shipgate webhook add URL --secret-stdin'.");
                }
            }

            return ServerConnection.RunAsync(async client =>
            {
                var added = await client.AddWebhookAsync(
                    new NotificationWebhookRequest(parse.GetValue(url)!, parse.GetValue(format), parse.GetValue(project), parse.GetValue(events) ?? [], secret),
                    cancellationToken).ConfigureAwait(false);
                Console.Error.WriteLine($"shipgate: added webhook {added.Id} ({added.Format}) posting {Events(added)} to {added.Url}.");
                Console.Out.WriteLine(added.Id);
                return CliHost.Success;
            });
        });
        return command;
    }

    private static Command CreateList()
    {
        var json = new Option<bool>("--json") { Description = "Print JSON." };
        var command = new Command("list", "List the outgoing webhooks.") { json };
        command.SetAction((parse, cancellationToken) => ServerConnection.RunAsync(async client =>
        {
            var webhooks = await client.ListWebhooksAsync(cancellationToken).ConfigureAwait(false);
            if (parse.GetValue(json))
            {
                Console.Out.WriteLine(JsonSerializer.Serialize(webhooks, ApiJsonContext.Default.NotificationWebhookResponseArray));
                return CliHost.Success;
            }

            TextTable.Write(Console.Out, ["ID", "URL", "FORMAT", "PROJECT", "EVENTS", "SIGNED", "LAST DELIVERY"], webhooks.Select(w => new[]
            {
                w.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
                w.Url,
                w.Format,
                w.Project ?? "(all)",
                Events(w),
                w.Signed ? "yes" : "no",
                w.LastDelivery is null ? "-" : w.LastError is null || w.LastDelivery == "delivered" ? w.LastDelivery : $"{w.LastDelivery}: {w.LastError}",
            }));
            return CliHost.Success;
        }));
        return command;
    }

    private static Command CreateRemove()
    {
        var id = new Argument<long>("id") { Description = "The webhook's id (see 'shipgate webhook list')." };
        var command = new Command("remove", "Remove an outgoing webhook.") { id };
        command.SetAction((parse, cancellationToken) => ServerConnection.RunAsync(async client =>
        {
            await client.RemoveWebhookAsync(parse.GetValue(id), cancellationToken).ConfigureAwait(false);
            Console.Error.WriteLine($"shipgate: removed webhook {parse.GetValue(id)}.");
            return CliHost.Success;
        }));
        return command;
    }

    private static string Events(NotificationWebhookResponse webhook) => webhook.Events.Count == 0 ? "all events" : string.Join(",", webhook.Events);
}
