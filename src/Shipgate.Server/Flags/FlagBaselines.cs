using System.Text.Json;
using Shipgate.Delivery.Configuration;
using Shipgate.Flags;
using Shipgate.Flags.Document;
using Shipgate.Server.Hosting;
using Shipgate.Server.Projects;
using Shipgate.Storage.Audit;
using Shipgate.Storage.Flags;
using Shipgate.Storage.Projects;

namespace Shipgate.Server.Flags;

/// <summary>
/// Applies the flags of <c>shipgate.yml</c> at the head of the protected branch (ADR 0013) to an environment (ADR 0026):
/// a flag still as the file last defined it follows the file; a flag changed at run time keeps its state and is drift
/// until <c>flag reset</c>; flags only in the server are left alone. The file a branch other than the protected one
/// carries is never read here, so such a branch cannot change an environment's flags.
/// </summary>
internal sealed class FlagBaselines(ServerStore store, ProjectRepositories repositories, FlagDocuments documents)
{
    /// <summary>The actor of the audit entries the file's changes make.</summary>
    public const string Actor = "shipgate";

    /// <summary>
    /// Applies the file's flags to <paramref name="environment"/> and gives them as defined for it; null when the file
    /// at the head is not valid or does not declare the environment (nothing is applied then).
    /// </summary>
    public async Task<IReadOnlyList<FlagDefinition>?> SyncAsync(ProjectRecord project, string environment, CancellationToken cancellationToken = default)
    {
        var (_, config) = await repositories.LoadHeadConfigAsync(project, cancellationToken).ConfigureAwait(false);
        return await SyncAsync(project, environment, config, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>As <see cref="SyncAsync(ProjectRecord, string, CancellationToken)"/>, with the file at the head already read.</summary>
    public async Task<IReadOnlyList<FlagDefinition>?> SyncAsync(
        ProjectRecord project, string environment, ShipgateConfigLoadResult config, CancellationToken cancellationToken = default)
    {
        if (config.HasErrors || config.Config!.FindEnvironment(environment) is null)
        {
            return null;
        }

        var file = config.Config.Flags.Select(f => f.For(environment)).ToList();
        var target = $"project/{project.Name}/environment/{environment}/flags";
        if (await store.Store.Flags.EditRecordAsync(project.Id, environment, record => Sync(record, file, target), cancellationToken).ConfigureAwait(false))
        {
            documents.Invalidate(project.Id, environment);
        }

        return file;
    }

    /// <summary>
    /// The new document and baseline for <paramref name="file"/> (true when the served flags changed), audited as
    /// <c>flag.sync</c> with the document before and after; nothing to write when neither changes.
    /// </summary>
    internal static FlagEdit<bool> Sync(FlagDocumentRecord? record, IReadOnlyList<FlagDefinition> file, string target)
    {
        if (record is null && file.Count == 0)
        {
            // Nothing in the file and nothing stored: an environment without flags gets no row just for being read.
            return new(null, null, false);
        }

        var document = FlagEditor.Read(record?.Document);
        document.Flags ??= [];
        var baseline = FlagEditor.Read(record?.Baseline).Flags ?? [];
        var before = FlagEditor.Write(document);
        foreach (var flag in file)
        {
            var stored = document.Flags.Find(f => f.Key == flag.Key);
            var last = baseline.Find(f => f.Key == flag.Key);
            if (stored is null && last is null)
            {
                document.Flags.Add(flag);
            }
            else if (stored is not null && last is not null && Same(stored, last))
            {
                document.Flags[document.Flags.IndexOf(stored)] = flag;
            }
        }

        // A flag taken out of the file goes with it, unless it was changed at run time: then it stays as the server's own.
        document.Flags.RemoveAll(f => !file.Any(d => d.Key == f.Key) && baseline.Find(b => b.Key == f.Key) is { } last && Same(f, last));
        var after = FlagEditor.Write(document);
        var newBaseline = FlagEditor.Write(new FlagDocument { Version = 1, Flags = [.. file] });
        if ((after == before && newBaseline == record?.Baseline) || FlagConfiguration.Compile(document).Errors.Count > 0)
        {
            return new(null, null, false);
        }

        var audit = after == before ? null : new NewAuditEntry { Actor = Actor, Action = "flag.sync", Target = target, BeforeJson = before, AfterJson = after };
        return new(after, audit, after != before, newBaseline);
    }

    /// <summary>How <paramref name="current"/> differs from the file's <paramref name="file"/>: the fields that differ, or that it was deleted.</summary>
    public static IReadOnlyList<string> Differences(FlagDefinition? current, FlagDefinition file)
    {
        if (current is null)
        {
            return ["deleted"];
        }

        using var now = JsonDocument.Parse(FlagEditor.Write(current));
        using var wanted = JsonDocument.Parse(FlagEditor.Write(file));
        var names = now.RootElement.EnumerateObject().Select(p => p.Name).Union(wanted.RootElement.EnumerateObject().Select(p => p.Name));
        return [.. names.Where(n => !(now.RootElement.TryGetProperty(n, out var a) && wanted.RootElement.TryGetProperty(n, out var b) && a.GetRawText() == b.GetRawText()))];
    }

    private static bool Same(FlagDefinition a, FlagDefinition b) => FlagEditor.Write(a) == FlagEditor.Write(b);
}
