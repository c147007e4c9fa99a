namespace Shipgate.Storage.Audit;

/// <summary>
/// Checks audit entries, fed in sequence order, against their hash chain, their MACs (with the key, when
/// given) and the checkpoints (kept outside the database): the first entry that was changed, removed,
/// renumbered, rehashed or added without the key, or a tail that is missing, is named. Without the key or
/// without checkpoints it says what it could not check.
/// </summary>
public sealed class AuditVerifier
{
    private readonly AuditKey? _key;
    private readonly Dictionary<long, AuditCheckpoint> _checkpoints = [];
    private readonly long _lastCheckpoint;
    private readonly long _firstCheckpoint;
    private AuditVerification? _fault;
    private long _count;
    private long _unkeyed;
    private bool _keyedSeen;
    private string _previousHash = "";

    public AuditVerifier(AuditKey? key, IEnumerable<AuditCheckpoint> checkpoints)
    {
        ArgumentNullException.ThrowIfNull(checkpoints);
        _key = key;
        foreach (var checkpoint in checkpoints)
        {
            if (key is not null && !AuditKey.Matches(key.CheckpointMac(checkpoint.Sequence, checkpoint.Hash, checkpoint.At), checkpoint.Mac))
            {
                _fault ??= new AuditVerification(
                    0, checkpoint.Sequence, $"The checkpoint of entry {checkpoint.Sequence} has a bad MAC: it was not written with this server's audit key.");
                continue;
            }

            if (_checkpoints.TryGetValue(checkpoint.Sequence, out var other) && other.Hash != checkpoint.Hash)
            {
                _fault ??= new AuditVerification(
                    0, checkpoint.Sequence, $"Two checkpoints of entry {checkpoint.Sequence} disagree: the log was rewritten between them.");
            }

            _checkpoints[checkpoint.Sequence] = checkpoint;
        }

        _lastCheckpoint = _checkpoints.Count == 0 ? 0 : _checkpoints.Keys.Max();
        _firstCheckpoint = _checkpoints.Count == 0 ? 0 : _checkpoints.Keys.Min();
    }

    /// <summary>The fault found so far, if any; feeding stops being useful once there is one.</summary>
    public AuditVerification? Fault => _fault;

    /// <summary>Checks the next entry; returns false once a fault is found (see <see cref="Finish"/>).</summary>
    public bool Add(AuditEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (_fault is not null)
        {
            return false;
        }

        _fault = Check(entry);
        if (_fault is not null)
        {
            return false;
        }

        _previousHash = entry.Hash;
        _count++;
        return true;
    }

    /// <summary>The outcome: the first fault, a missing tail, or whole (with what could not be checked).</summary>
    public AuditVerification Finish()
    {
        if (_fault is not null)
        {
            return _fault with { Entries = _count };
        }

        if (_lastCheckpoint > _count)
        {
            var problem = _count == 0
                ? $"The log is empty but the checkpoint says entries up to {_lastCheckpoint} were written."
                : $"The log ends at entry {_count} but the checkpoint says entries up to {_lastCheckpoint} were written.";
            return new AuditVerification(_count, _count + 1, problem);
        }

        var limits = new List<string>();
        if (_key is null)
        {
            limits.Add("MACs were not checked (no audit key): a log rewritten with recomputed hashes would pass.");
        }

        if (_checkpoints.Count == 0)
        {
            limits.Add("No checkpoint was given: the newest entries could have been deleted unnoticed.");
        }

        if (_unkeyed > 0)
        {
            limits.Add($"Entries 1 to {_unkeyed} were written before the audit key: only their hash chain and the seal after them vouch for them.");
        }

        return new AuditVerification(_count, null, null, limits.Count == 0 ? null : string.Join(' ', limits));
    }

    private AuditVerification? Check(AuditEntry entry)
    {
        var expected = _count + 1;
        if (entry.Sequence != expected)
        {
            return entry.Sequence > expected
                ? Bad(expected, $"Entry {expected} is missing: entry {entry.Sequence} follows entry {_count}.")
                : Bad(entry.Sequence, $"Entry {entry.Sequence} appears out of order.");
        }

        var hash = AuditHasher.Hash(
            entry.Sequence, entry.At, entry.Actor, entry.Action, entry.Target, entry.Reason, entry.BeforeJson, entry.AfterJson, entry.PreviousHash);
        if (!string.Equals(hash, entry.Hash, StringComparison.Ordinal))
        {
            return Bad(entry.Sequence, $"Entry {entry.Sequence} was changed: its content does not match its hash.");
        }

        if (!string.Equals(entry.PreviousHash, _previousHash, StringComparison.Ordinal))
        {
            return Bad(entry.Sequence, $"Entry {entry.Sequence} does not follow entry {_count}: entries were reordered or replaced.");
        }

        if (entry.Mac is null)
        {
            if (_keyedSeen || (_firstCheckpoint > 0 && entry.Sequence >= _firstCheckpoint))
            {
                return Bad(
                    entry.Sequence,
                    $"Entry {entry.Sequence} has no MAC, though it was written after the audit key: it was rewritten or added without the key.");
            }

            _unkeyed++;
        }
        else
        {
            _keyedSeen = true;
            if (_key is not null && !AuditKey.Matches(_key.EntryMac(entry.Hash), entry.Mac))
            {
                return Bad(entry.Sequence, $"Entry {entry.Sequence} has a bad MAC: it was changed, renumbered or rehashed without the audit key.");
            }
        }

        if (_checkpoints.TryGetValue(entry.Sequence, out var checkpoint) && !string.Equals(checkpoint.Hash, entry.Hash, StringComparison.Ordinal))
        {
            return Bad(
                entry.Sequence, $"Entry {entry.Sequence} does not match the checkpoint written at {checkpoint.At}: the log was rewritten up to here.");
        }

        return null;
    }

    private AuditVerification Bad(long sequence, string problem) => new(_count, sequence, problem);
}
