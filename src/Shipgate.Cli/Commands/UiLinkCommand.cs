using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Shipgate.Server.Api;

namespace Shipgate.Cli.Commands;

/// <summary>
/// <c>shipgate ui-link [--json]</c>: prints a one-time link that signs the current token's user in to the web UI (as
/// Jupyter's token links do); it works once, for 10 minutes.
/// </summary>
internal static class UiLinkCommand
{
    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "Print JSON." };
        var command = new Command("ui-link", "Print a one-time sign-in link to the web UI for the current token's user (valid 10 minutes).") { json };
        command.SetAction((parse, cancellationToken) => ServerConnection.RunAsync(async client =>
        {
            var link = await client.CreateUiLinkAsync(cancellationToken).ConfigureAwait(false);
            Console.Out.WriteLine(parse.GetValue(json)
                ? JsonSerializer.Serialize(link, ApiJsonContext.Default.UiLinkResponse)
                : $"{link.Url}\n(works once, until {link.ExpiresAt.ToString("u", CultureInfo.InvariantCulture)})");
            return CliHost.Success;
        }));
        return command;
    }
}
