using System.Text.Json;
using Shipgate.Delivery.Edge;
using Shipgate.Edge.Metrics;

namespace Shipgate.Edge.Comparison;

/// <summary>
/// A mirror's <see cref="EdgeMirrorCompare"/> compiled with its route table: the body routes, the ignored JSON
/// fields and the masker of the service's releases' values, around the mirrored release's comparison counters
/// (which outlive the table).
/// </summary>
internal sealed class CompiledCompare(EdgeMirrorCompare spec, ComparisonCounters counters, ExampleMasker masker)
{
    private readonly BodyPathPattern[] _bodyPaths = [.. spec.BodyPaths.Select(p => new BodyPathPattern(p))];
    private readonly JsonComparer _json = new(spec.IgnoreFields);

    public EdgeMirrorCompare Spec { get; } = spec;

    public ComparisonCounters Counters { get; } = counters;

    public bool ComparesBody(string path) => _bodyPaths.Any(p => p.Matches(path));

    /// <summary>
    /// Counts a finished pair: not compared when the primary has no answer, the copy was abandoned, or a body is over
    /// the bound or not decodable; otherwise compared, with a masked example when it differs in any enabled way.
    /// </summary>
    public void Judge(MirrorPair pair)
    {
        if (pair.Primary is not { Status: { } primaryStatus } primary || pair.Mirror is not { } mirror)
        {
            Counters.NotCompared();
            return;
        }

        List<string> differences = [];
        if (Spec.Status && (mirror.Status is null || mirror.Status / 100 != primaryStatus / 100))
        {
            differences.Add("status");
        }

        // A copy that timed out took at least the timeout: it is slow too. One that failed at once is not.
        if (Spec.LatencyRatio is { } ratio && mirror.Micros > (ratio * primary.Micros) + (Spec.LatencySlackMillis * 1000.0))
        {
            differences.Add("latency");
        }

        byte[]? primaryBody = null;
        byte[]? mirrorBody = null;
        string? where = null;
        if (pair.ComparesBody && mirror.Status is not null)
        {
            if (primary.Body is not { Overflowed: false } || mirror.Body is not { Overflowed: false }
                || (primaryBody = ContentDecoding.Decode(primary.Body.Bytes, primary.ContentEncoding, Spec.MaxBodyBytes)) is null
                || (mirrorBody = ContentDecoding.Decode(mirror.Body.Bytes, mirror.ContentEncoding, Spec.MaxBodyBytes)) is null)
            {
                Counters.NotCompared();
                return;
            }

            where = FirstDifference(primaryBody, mirrorBody);
            if (where is not null)
            {
                differences.Add("body");
            }
        }

        Counters.Compared(differences.Count == 0 ? null : new EdgeMirrorExample
        {
            At = pair.At,
            Method = pair.Method,
            Path = masker.PathAndQuery(pair.Path, pair.Query),
            Differences = differences,
            PrimaryStatus = primaryStatus,
            MirrorStatus = mirror.Status,
            PrimaryMillis = primary.Micros / 1000.0,
            MirrorMillis = mirror.Micros / 1000.0,
            BodyDifference = where is null ? null : masker.Mask(where),
            PrimaryBody = primaryBody is null ? null : masker.Body(primaryBody),
            MirrorBody = mirrorBody is null ? null : masker.Body(mirrorBody),
        });
    }

    // JSON on both sides is compared by structure; anything else byte for byte.
    private string? FirstDifference(byte[] primary, byte[] mirror)
    {
        if (primary.AsSpan().SequenceEqual(mirror))
        {
            return null;
        }

        try
        {
            using var ours = JsonDocument.Parse(primary);
            using var theirs = JsonDocument.Parse(mirror);
            return _json.FirstDifference(ours.RootElement, theirs.RootElement);
        }
        catch (JsonException)
        {
            return "byte " + primary.AsSpan().CommonPrefixLength(mirror);
        }
    }
}
