using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Shipgate.Server.Api;
using Shipgate.Storage;
using Shipgate.Storage.Audit;

namespace Shipgate.Cli.Commands;

/// <summary>
/// <c>shipgate audit verify [--checkpoint FILE] [--export FILE [--key FILE]]</c> (exit 0 when the log is whole,
/// 1 naming the first bad entry or the missing tail) and <c>shipgate audit export [--since T] [--format jsonl]</c>
/// (one JSON entry a line on stdout, then a trailer line with the newest keyed checkpoint).
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
        var checkpoint = new Option<FileInfo?>("--checkpoint")
        {
            Description = "Also verify against this copy of DATA/audit.checkpoint, or an export's trailer, kept elsewhere: "
                + "it proves how long the log was.",
        };
        var export = new Option<FileInfo?>("--export") { Description = "Verify this export (from 'shipgate audit export') here, without a server." };
        var key = new Option<FileInfo?>("--key") { Description = "With --export: the server's DATA/audit.key, to check each entry's and checkpoint's MAC." };
        var command = new Command("verify", "Check that no audit entry was changed, removed, renumbered or rehashed, and that none is missing at the end.")
        {
            checkpoint, export, key,
        };
        command.SetAction((parse, cancellationToken) =>
        {
            var checkpoints = parse.GetValue(checkpoint) is { } file ? ReadCheckpoints(file) : null;
            if (parse.GetValue(export) is { } exportFile)
            {
                return Task.FromResult(VerifyExport(exportFile, parse.GetValue(key), checkpoints ?? []));
            }

            if (parse.GetValue(key) is not null)
            {
                throw new UserInputException("--key checks an export: give --export FILE too (the server checks with its own key).");
            }

            return ServerConnection.RunAsync(async client =>
            {
                // The newest lines of a long file: each names one entry's hash, the last the log's length.
                var lines = checkpoints?.TakeLast(AuditVerifyRequest.MaxCheckpoints).Select(c => c.ToString()).ToList();
                var result = await client.VerifyAuditAsync(lines, cancellationToken).ConfigureAwait(false);
                return Report(result.Valid, result.Entries, result.FirstBadSequence, result.Problem, result.Limits);
            });
        });
        return command;
    }

    private static int VerifyExport(FileInfo export, FileInfo? keyFile, IReadOnlyList<AuditCheckpoint> checkpoints)
    {
        var text = ReadText(export);
        AuditKey? key;
        try
        {
            key = keyFile is null ? null : AuditKey.Load(keyFile.FullName);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or StoreException)
        {
            throw new UserInputException($"The audit key {keyFile!.FullName} cannot be read: {exception.Message}");
        }

        var trailers = Parse(text, export);
        var verifier = new AuditVerifier(key, [.. trailers, .. checkpoints]);
        var number = 0;
        foreach (var line in text.Split('\n'))
        {
            number++;
            if (line.Trim() is not { Length: > 0 } json)
            {
                continue;
            }

            AuditEntryResponse? entry;
            try
            {
                entry = JsonSerializer.Deserialize(json, ApiJsonContext.Default.AuditEntryResponse);
            }
            catch (JsonException)
            {
                entry = null;
            }

            if (entry?.Hash is null)
            {
                if (AuditCheckpoint.ParseAll(json).Count > 0)
                {
                    continue;
                }

                throw new UserInputException($"{export.FullName}:{number} is not an audit entry of 'shipgate audit export'.");
            }

            var audited = new AuditEntry(
                entry.Sequence, entry.At, entry.Actor, entry.Action, entry.Target, entry.Reason, entry.Before, entry.After, entry.PreviousHash, entry.Hash, entry.Mac);
            if (!verifier.Add(audited))
            {
                break;
            }
        }

        var result = verifier.Finish();
        return Report(result.IsValid, result.Entries, result.FirstBadSequence, result.Problem, result.Limits);
    }

    private static int Report(bool valid, long entries, long? firstBad, string? problem, string? limits)
    {
        if (!valid)
        {
            Console.Error.WriteLine($"shipgate: the audit log was tampered with at entry {firstBad}: {problem}");
            return CliHost.Failed;
        }

        Console.Out.WriteLine($"shipgate: the audit log's {entries} entries are whole.");
        if (limits is not null)
        {
            Console.Out.WriteLine($"shipgate: not checked: {limits}");
        }

        return CliHost.Success;
    }

    private static IReadOnlyList<AuditCheckpoint> ReadCheckpoints(FileInfo file)
    {
        var checkpoints = Parse(ReadText(file), file);
        return checkpoints.Count > 0 ? checkpoints : throw new UserInputException($"{file.FullName} holds no audit checkpoint.");
    }

    private static IReadOnlyList<AuditCheckpoint> Parse(string text, FileInfo file)
    {
        try
        {
            return AuditCheckpoint.ParseAll(text);
        }
        catch (StoreException exception)
        {
            throw new UserInputException($"{file.FullName}: {exception.Message}");
        }
    }

    private static string ReadText(FileInfo file)
    {
        try
        {
            return File.ReadAllText(file.FullName);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new UserInputException($"{file.FullName} cannot be read: {exception.Message}");
        }
    }

    private static Command CreateExport()
    {
        var since = new Option<string?>("--since") { Description = "Only entries at or after this time (ISO 8601, e.g. 2026-01-31 or 2026-01-31T12:00:00Z)." };
        var format = new Option<string>("--format") { Description = "The output format.", DefaultValueFactory = _ => "jsonl" };
        format.AcceptOnlyFromAmong("jsonl");
        var command = new Command("export", "Print the audit log, one JSON entry a line, then the newest keyed checkpoint ({\"checkpoint\":...}).") { since, format };
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
                // The checkpoint first: every entry it covers is committed, so the export below holds them.
                var checkpoint = await client.GetAuditCheckpointAsync(cancellationToken).ConfigureAwait(false);
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
                        break;
                    }
                }

                if (checkpoint is not null)
                {
                    var trailer = JsonSerializer.Serialize(checkpoint.Line, ApiJsonContext.Default.String);
                    Console.Out.WriteLine($"{{\"{AuditCheckpoint.TrailerProperty}\":{trailer}}}");
                }

                return CliHost.Success;
            });
        });
        return command;
    }
}
