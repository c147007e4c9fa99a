using Shipgate.Delivery.Edge;

namespace Shipgate.Edge.Metrics;

/// <summary>
/// A mirrored release's comparison with the primary answers, cumulative: interlocked counters, and a ring of the
/// latest <see cref="MaxExamples"/> mismatching pairs (already masked) behind a lock that only a mismatch takes.
/// </summary>
internal sealed class ComparisonCounters
{
    public const int MaxExamples = 20;

    private readonly Queue<EdgeMirrorExample> _examples = new(MaxExamples);
    private long _compared;
    private long _mismatched;
    private long _status;
    private long _latency;
    private long _body;
    private long _notCompared;

    public void NotCompared() => Interlocked.Increment(ref _notCompared);

    /// <summary>One compared pair; <paramref name="example"/> is non-null when it differed.</summary>
    public void Compared(EdgeMirrorExample? example)
    {
        // Counted before its mismatches, and read after them, so that a snapshot never has more mismatches than pairs.
        Interlocked.Increment(ref _compared);
        if (example is not null)
        {
            foreach (var difference in example.Differences)
            {
                switch (difference)
                {
                    case "status": Interlocked.Increment(ref _status); break;
                    case "latency": Interlocked.Increment(ref _latency); break;
                    default: Interlocked.Increment(ref _body); break;
                }
            }

            lock (_examples)
            {
                if (_examples.Count == MaxExamples)
                {
                    _examples.Dequeue();
                }

                _examples.Enqueue(example);
            }

            Interlocked.Increment(ref _mismatched);
        }
    }

    public EdgeMirrorComparison Read()
    {
        EdgeMirrorExample[] examples;
        lock (_examples)
        {
            examples = [.. _examples];
        }

        var mismatched = Volatile.Read(ref _mismatched);
        var status = Volatile.Read(ref _status);
        var latency = Volatile.Read(ref _latency);
        var body = Volatile.Read(ref _body);
        return new EdgeMirrorComparison
        {
            Mismatched = mismatched,
            StatusMismatches = status,
            LatencyMismatches = latency,
            BodyMismatches = body,
            Compared = Volatile.Read(ref _compared),
            NotCompared = Volatile.Read(ref _notCompared),
            Examples = examples,
        };
    }
}
