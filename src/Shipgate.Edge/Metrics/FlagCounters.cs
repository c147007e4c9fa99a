namespace Shipgate.Edge.Metrics;

/// <summary>
/// One release's counters per flag and variant, from the <c>X-Shipgate-Flags: key=variant, …</c> header its instances
/// put on their answers (the flag-ramp strategy compares the variants). An instance is not trusted with the edge's
/// memory: at most <see cref="MaxKeys"/> keys and <see cref="MaxVariants"/> variants per key are counted by name, later
/// ones under <see cref="Other"/>, and a key or variant outside letters, digits and <c>-_.</c> or longer than
/// <see cref="MaxNameLength"/> is dropped. Counting a known pair takes no lock and allocates nothing; tables are
/// copied on write, which happens at most a bounded number of times.
/// </summary>
internal sealed class FlagCounters
{
    public const string HeaderName = "X-Shipgate-Flags";

    public const int MaxKeys = 20;

    public const int MaxVariants = 10;

    public const int MaxNameLength = 64;

    /// <summary>The bucket of the keys and variants past the bounds; not a valid name, so no real flag or variant shares it.</summary>
    public const string Other = "(other)";

    private readonly Lock _gate = new();
    private FlagKey[] _keys = [];
    private FlagKey? _otherKey;

    /// <summary>Counts one answer under each valid pair of a header value (comma-separated <c>key=variant</c>).</summary>
    public void Count(ReadOnlySpan<char> header, int status, long micros)
    {
        var otherCounted = false;
        foreach (var range in header.Split(','))
        {
            var pair = header[range];
            var equals = pair.IndexOf('=');
            if (equals < 0)
            {
                continue;
            }

            var key = pair[..equals].Trim(" \t");
            var variant = pair[(equals + 1)..].Trim(" \t");
            if (!IsName(key) || !IsName(variant))
            {
                continue;
            }

            var counters = FindKey(key);
            if (counters is null)
            {
                // Past the bounds every unknown key is one bucket, counted once per answer however many it names.
                if (!otherCounted)
                {
                    otherCounted = true;
                    OtherKey().OtherVariant.Record(status, micros);
                }

                continue;
            }

            counters.Find(variant, _gate).Record(status, micros);
        }
    }

    /// <summary>Every counted key and variant now, ordered by key then variant, <see cref="Other"/> last.</summary>
    public List<FlagCountersSnapshot> Read()
    {
        var all = new List<FlagCountersSnapshot>();
        var keys = Volatile.Read(ref _keys).OrderBy(k => k.Name, StringComparer.Ordinal).ToList();
        if (Volatile.Read(ref _otherKey) is { } other)
        {
            keys.Add(other);
        }

        foreach (var key in keys)
        {
            all.AddRange(key.Read());
        }

        return all;
    }

    /// <summary>Whether <paramref name="name"/> is 1 to 64 letters, digits, '-', '_' or '.'.</summary>
    public static bool IsName(ReadOnlySpan<char> name) =>
        name.Length is > 0 and <= MaxNameLength && !name.ContainsAnyExcept(NameChars);

    private static readonly System.Buffers.SearchValues<char> NameChars =
        System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.");

    private FlagKey? FindKey(ReadOnlySpan<char> key) => FindOrAdd(ref _keys, key, MaxKeys, _gate, static (name, _) => new FlagKey(name), "");

    // Finds a name in a copy-on-write table without a lock; adds it under the lock while the table has room.
    private static T? FindOrAdd<T, TState>(ref T[] table, ReadOnlySpan<char> name, int max, Lock gate, Func<string, TState, T> create, TState state)
        where T : class, INamed
    {
        var items = Volatile.Read(ref table);
        var found = Find(items, name);
        if (found is not null || items.Length >= max)
        {
            return found;
        }

        lock (gate)
        {
            items = table;
            found = Find(items, name);
            if (found is not null || items.Length >= max)
            {
                return found;
            }

            var added = create(name.ToString(), state);
            Volatile.Write(ref table, [.. items, added]);
            return added;
        }
    }

    private static T? Find<T>(T[] items, ReadOnlySpan<char> name)
        where T : class, INamed
    {
        foreach (var item in items)
        {
            if (name.SequenceEqual(item.Name))
            {
                return item;
            }
        }

        return null;
    }

    private FlagKey OtherKey()
    {
        if (Volatile.Read(ref _otherKey) is { } other)
        {
            return other;
        }

        lock (_gate)
        {
            _otherKey ??= new FlagKey(Other);
            return _otherKey;
        }
    }

    /// <summary>One key's variants, copied on write, and the bucket for variants past the bound.</summary>
    private interface INamed
    {
        string Name { get; }
    }

    private sealed class FlagKey(string key) : INamed
    {
        private FlagVariant[] _variants = [];

        public string Name { get; } = key;

        public FlagVariant OtherVariant { get; } = new(key, Other);

        public FlagVariant Find(ReadOnlySpan<char> variant, Lock gate) =>
            FindOrAdd(ref _variants, variant, MaxVariants, gate, static (name, key) => new FlagVariant(key, name), Name) ?? OtherVariant;

        public IEnumerable<FlagCountersSnapshot> Read()
        {
            foreach (var variant in Volatile.Read(ref _variants).OrderBy(v => v.Name, StringComparer.Ordinal))
            {
                yield return variant.Read();
            }

            if (OtherVariant.Read() is { Requests: > 0 } other)
            {
                yield return other;
            }
        }
    }

    /// <summary>The counters of one key and variant: requests, status classes and the latency histogram.</summary>
    private sealed class FlagVariant(string key, string variant) : INamed
    {
        private readonly long[] _statusClasses = new long[5];
        private readonly long[] _buckets = new long[LatencyBuckets.UpperMicros.Length];
        private long _requests;
        private long _sumMicros;

        public string Name { get; } = variant;

        public void Record(int status, long micros)
        {
            Interlocked.Increment(ref _statusClasses[Math.Clamp((status / 100) - 1, 0, 4)]);
            Interlocked.Increment(ref _buckets[LatencyBuckets.IndexOf(micros)]);
            Interlocked.Add(ref _sumMicros, micros);
            Interlocked.Increment(ref _requests);
        }

        public FlagCountersSnapshot Read() => new(
            key,
            Name,
            Volatile.Read(ref _requests),
            ReadAll(_statusClasses),
            Volatile.Read(ref _sumMicros),
            ReadAll(_buckets));

        private static long[] ReadAll(long[] counters)
        {
            var copy = new long[counters.Length];
            for (var i = 0; i < copy.Length; i++)
            {
                copy[i] = Volatile.Read(ref counters[i]);
            }

            return copy;
        }
    }
}
