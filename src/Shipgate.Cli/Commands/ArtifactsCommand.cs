using System.CommandLine;
using System.Formats.Tar;
using System.Globalization;
using System.Text.Json;
using Shipgate.Server.Api;

namespace Shipgate.Cli.Commands;

/// <summary>
/// <c>shipgate artifacts RUN [--json]</c> lists a run's artifacts; <c>shipgate artifacts RUN NAME [-o DIR]</c>
/// downloads one and unpacks its files into DIR (default: ./NAME), with their modes.
/// </summary>
internal static class ArtifactsCommand
{
    public static Command Create()
    {
        var run = new Argument<long>("run") { Description = "The run's id." };
        var name = new Argument<string?>("name") { Description = "The artifact to download; without it, the run's artifacts are listed.", Arity = ArgumentArity.ZeroOrOne };
        var output = new Option<string?>("--output", "-o") { Description = "Where to unpack the artifact's files. Default: ./NAME." };
        var json = new Option<bool>("--json") { Description = "Print the list as JSON." };
        var command = new Command("artifacts", "List a run's artifacts, or download one and unpack it.") { run, name, output, json };
        command.SetAction((parse, cancellationToken) => ServerConnection.RunAsync(async client =>
        {
            var runId = parse.GetValue(run);
            if (parse.GetValue(name) is not { } artifact)
            {
                var artifacts = await client.ListArtifactsAsync(runId, cancellationToken).ConfigureAwait(false);
                if (parse.GetValue(json))
                {
                    Console.Out.WriteLine(JsonSerializer.Serialize(artifacts, ApiJsonContext.Default.ArtifactResponseArray));
                }
                else if (artifacts.Length == 0)
                {
                    Console.Out.WriteLine($"Run {runId.ToString(CultureInfo.InvariantCulture)} has no artifacts.");
                }
                else
                {
                    TextTable.Write(Console.Out, ["NAME", "SIZE", "FILES", "JOB", "DIGEST"], artifacts.Select(a => new[]
                    {
                        a.Name, a.Size.ToString(CultureInfo.InvariantCulture), a.Files.ToString(CultureInfo.InvariantCulture), a.Job ?? "-", a.Digest,
                    }));
                }

                return CliHost.Success;
            }

            var destination = Path.GetFullPath(parse.GetValue(output) ?? artifact);
            using var response = await client.OpenArtifactAsync(runId, artifact, cancellationToken).ConfigureAwait(false);
            Directory.CreateDirectory(destination);
            var archive = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (archive.ConfigureAwait(false))
            {
                // Extraction refuses entries that would land outside the destination.
                await TarFile.ExtractToDirectoryAsync(archive, destination, overwriteFiles: true, cancellationToken).ConfigureAwait(false);
            }

            Console.Out.WriteLine($"shipgate: artifact {artifact} of run {runId.ToString(CultureInfo.InvariantCulture)} ({response.Headers.ETag?.Tag.Trim('"')}) is in {destination}.");
            return CliHost.Success;
        }));
        return command;
    }
}
