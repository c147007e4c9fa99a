using System.Collections.Concurrent;
using Shipgate.Server.Hosting;
using Shipgate.Storage.Flags;

namespace Shipgate.Server.Flags;

/// <summary>
/// Client keys as OFREP and the document endpoint check them, without a database read per request: a known key is
/// remembered for <see cref="FlagDocuments.RecheckInterval"/>, forgotten at once when this server revokes it, and checked
/// again after that (so a key revoked through another server stops working within the interval). Unknown keys are
/// never remembered.
/// </summary>
internal sealed class FlagClientKeys(ServerStore store, TimeProvider time)
{
    private const int MaxRemembered = 10_000;

    private readonly ConcurrentDictionary<string, (FlagClientKeyRecord Key, DateTimeOffset CheckedAt)> _known = new(StringComparer.Ordinal);

    /// <summary>The key's record when it exists and is not revoked; otherwise null.</summary>
    public async ValueTask<FlagClientKeyRecord?> AuthenticateAsync(string key, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        if (_known.TryGetValue(key, out var known) && now - known.CheckedAt < FlagDocuments.RecheckInterval)
        {
            return known.Key;
        }

        var record = await store.Store.Flags.AuthenticateKeyAsync(key, cancellationToken).ConfigureAwait(false);
        if (record is null)
        {
            _known.TryRemove(key, out _);
            return null;
        }

        if (_known.Count >= MaxRemembered)
        {
            _known.Clear();
        }

        _known[key] = (record, now);
        return record;
    }

    /// <summary>Forgets a key this server revoked, so it is refused from the next request on.</summary>
    public void Forget(long keyId)
    {
        foreach (var (key, known) in _known)
        {
            if (known.Key.Id == keyId)
            {
                _known.TryRemove(key, out _);
            }
        }
    }
}
