using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Shipgate.Flags;
using Shipgate.Flags.Document;
using Shipgate.Server.Hosting;

namespace Shipgate.Server.Flags;

/// <summary>
/// Each environment's flags compiled once and shared by every request, swapped when the document changes: at once when
/// this server changed it (<see cref="Invalidate"/>), and within <see cref="RecheckInterval"/> when another server on the
/// same database did (the revision is read again then, and the document only when it moved).
/// </summary>
internal sealed class FlagDocuments(ServerStore store, TimeProvider time)
{
    /// <summary>How long a compiled configuration is served before its revision is checked again (1 s).</summary>
    public static readonly TimeSpan RecheckInterval = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<(long Project, string Environment), ServedFlags> _served = new();

    public async ValueTask<ServedFlags> GetAsync(long projectId, string environment, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        if (_served.TryGetValue((projectId, environment), out var served))
        {
            if (now - served.CheckedAt < RecheckInterval)
            {
                return served;
            }

            if (await store.Store.Flags.GetRevisionAsync(projectId, environment, cancellationToken).ConfigureAwait(false) == served.Revision)
            {
                return _served[(projectId, environment)] = served with { CheckedAt = now };
            }
        }

        var record = await store.Store.Flags.GetDocumentAsync(projectId, environment, cancellationToken).ConfigureAwait(false);
        served = Compile(record?.Document ?? FlagEditor.EmptyDocument, record?.Revision ?? 0, now);
        return _served[(projectId, environment)] = served;
    }

    /// <summary>Forgets the environment's compiled flags after this server changed them, so the next request reads the new ones.</summary>
    public void Invalidate(long projectId, string environment) => _served.TryRemove((projectId, environment), out _);

    private ServedFlags Compile(string json, long revision, DateTimeOffset now)
    {
        var document = FlagEditor.Read(json);
        var configuration = FlagConfiguration.Compile(document, time).Configuration
            ?? throw new InvalidOperationException("The stored flag document does not compile; every edit is checked before it is stored.");
        var bytes = Encoding.UTF8.GetBytes(json);
        var etag = "\"" + Convert.ToHexStringLower(SHA256.HashData(bytes))[..32] + "\"";
        return new ServedFlags(configuration, bytes, etag, revision, NeedingTargetingKey(document), now);
    }

    // A rollout strictly between 0 and 100 % on the default stickiness answers by chance when the context has neither a
    // targeting key nor a session id: OFREP calls that TARGETING_KEY_MISSING rather than hand out a coin toss.
    private static HashSet<string> NeedingTargetingKey(FlagDocument document) =>
        [.. (document.Flags ?? []).Where(f => f.Enabled && (f.Rules ?? []).Any(r => r.Rollout is { Percentage: > 0 and < 100 } rollout
            && rollout.Stickiness is null or "default")).Select(f => f.Key!)];
}
