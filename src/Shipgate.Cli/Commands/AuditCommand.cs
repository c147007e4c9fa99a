using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Shipgate.Server.Api;

namespace Shipgate.Cli.Commands;

/// <summary>
/// <c>shipgate audit verify</c> (exit 0 when the hash chain is whole, 1 naming the first bad entry) and
/// <c>shipgate audit export [--since T] [--format jsonl]</c> (one JSON entry a line on stdout).
/// </summary>
internal static class AuditCommand
{
    private const int PageSize = 1000;

    public static Command Create()
    {
        var command = new Command("audit", "Verify or export the audit log.");
        command.Subcommands.Add(CreateVerify());
        command.Subcommands.Add(CreateExport());
        return command;
    }

    private static Command CreateVerify()
    {
        var command = new Command("verify", "Check that no audit entry was changed, removed or reordered.");
        command.SetAction((parse, cancellationToken) => ServerConnection.RunAsync(async client =>
        {
            var result = await client.VerifyAuditAsync(cancellationToken).ConfigureAwait(false);
            if (result.Valid)
            {
                Console.Out.WriteLine($"shipgate: the audit log's chain of {result.Entries} entries is whole.");
                return CliHost.Success;
            }

            Console.Error.WriteLine($"shipgate: the audit log was tampered with at entry {result.FirstBadSequence}: {result.Problem}");
            return CliHost.Failed;
        }));
        return command;
    }

    private static Command CreateExport()
    {
        var since = new Option<string?>("--since") { Description = "Only entries at or after this time (ISO 8601, e.g. 2026-01-31 or 2026-01-31T12:00:00Z)." };
        var format = new Option<string>("--format") { Description = "The output format.", DefaultValueFactory = _ => "jsonl" };
        format.AcceptOnlyFromAmong("jsonl");
        var command = new Command("export", "Print the audit log, one JSON entry a line.") { since, format };
        command.SetAction((parse, cancellationToken) =>
        {
            DateTimeOffset? from = null;
            if (parse.GetValue(since) is { } text)
            {
                from = DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed)
                    ? parsed
                    : throw new UserInputException($"--since '{text}' is not a date or time (ISO 8601).");
            }

            return ServerConnection.RunAsync(async client =>
            {
                long after = 0;
                while (true)
                {
                    var page = await client.ListAuditAsync(after, from, PageSize, cancellationToken).ConfigureAwait(false);
                    foreach (var entry in page)
                    {
                        Console.Out.WriteLine(JsonSerializer.Serialize(entry, ApiJsonContext.Default.AuditEntryResponse));
                        after = entry.Sequence;
                    }

                    if (page.Length < PageSize)
                    {
                        return CliHost.Success;
                    }
                }
            });
        });
        return command;
    }
}
