using Shipgate.Core.Workflows;

namespace Shipgate.Delivery.Configuration;

/// <summary>The shadow strategy and the canary's mirror step: one phase of copied traffic, compared or only counted.</summary>
internal sealed partial class ShipgateConfigParser
{
    private static readonly string[] MirrorKeys = ["percent", "duration", "compare", "max-mismatch", "min-requests", "on-inconclusive"];
    private static readonly string[] ShadowKeys = [.. MirrorKeys, "on-failure"];
    private static readonly string[] ComparisonKinds = ["status", "latency", "body"];
    private static readonly string[] LatencyComparisonKeys = ["ratio"];
    private static readonly string[] BodyKeys = ["paths", "ignore"];

    /// <summary><c>shadow: { percent: 20, duration: 10m, max-mismatch: 1%, compare: [status, body] }</c>.</summary>
    private ShadowStrategy? ReadShadow(ScalarToken name, TemplateToken token, string what)
    {
        var onFailure = CanaryFailureAction.Rollback;
        return ReadMirror(token, name, what, shadow: true, ref onFailure) is { } phase
            ? new ShadowStrategy(phase, name.Location) { OnFailure = onFailure }
            : null;
    }

    private CanaryMirrorStep? ReadMirror(TemplateToken token, ScalarToken kind, string what, bool shadow)
    {
        var ignored = CanaryFailureAction.Rollback;
        return ReadMirror(token, kind, what, shadow, ref ignored);
    }

    /// <summary>
    /// <c>{ percent: 20, duration: 1m }</c>, with a comparison when any of compare, max-mismatch, min-requests or
    /// on-inconclusive is written (always for a shadow, which also takes on-failure).
    /// </summary>
    private CanaryMirrorStep? ReadMirror(TemplateToken token, ScalarToken kind, string what, bool shadow, ref CanaryFailureAction onFailure)
    {
        if (ReadMapping(token, what) is not { } map)
        {
            return null;
        }

        double? percent = null;
        TimeSpan? duration = null;
        var compare = shadow ? new ShadowComparison() : null;
        var valid = true;
        foreach (var (key, value) in map.Pairs)
        {
            switch (key.Value)
            {
                case "percent":
                    percent = ReadWeight(value, $"{what}.percent");
                    if (percent is 0)
                    {
                        Error(value.Location, $"'{what}.percent' must be above 0: a mirror of no requests shows nothing");
                        percent = null;
                    }

                    valid &= percent is not null;
                    break;
                case "duration":
                    duration = ReadDuration(value, $"{what}.duration", TimeSpan.FromSeconds(1));
                    valid &= duration is not null;
                    break;
                case "compare":
                    compare = ReadComparisons(value, $"{what}.compare", compare ?? new ShadowComparison());
                    valid &= compare is not null;
                    break;
                case "max-mismatch":
                    var max = ReadPercent(value, $"{what}.max-mismatch", 0, 1);
                    compare = max is null ? compare : (compare ?? new ShadowComparison()) with { MaxMismatch = max.Value };
                    valid &= max is not null;
                    break;
                case "min-requests":
                    var min = ReadInteger(value, $"{what}.min-requests", 1, 100_000_000);
                    compare = min is null ? compare : (compare ?? new ShadowComparison()) with { MinRequests = min.Value };
                    valid &= min is not null;
                    break;
                case "on-inconclusive":
                    var choice = ReadChoice(value, $"{what}.on-inconclusive", InconclusivePolicies);
                    compare = choice is null ? compare : (compare ?? new ShadowComparison()) with
                    {
                        OnInconclusive = choice.Value switch { "fail" => InconclusivePolicy.Fail, "promote" => InconclusivePolicy.Promote, _ => InconclusivePolicy.Pause },
                    };
                    valid &= choice is not null;
                    break;
                case "on-failure" when shadow:
                    var action = ReadChoice(value, $"{what}.on-failure", FailureActions);
                    onFailure = action?.Value == "freeze" ? CanaryFailureAction.Freeze : CanaryFailureAction.Rollback;
                    valid &= action is not null;
                    break;
                default:
                    UnknownKey(key, shadow ? ShadowKeys : MirrorKeys, what);
                    valid = false;
                    break;
            }
        }

        foreach (var missing in new[] { "percent", "duration" }.Where(k => map[k] is null))
        {
            Error(map.Location, $"'{what}' needs '{missing}', such as {{ percent: 20, duration: 1m }}");
            valid = false;
        }

        if (compare is { Status: false, LatencyRatio: null, BodyPaths.Count: 0 })
        {
            Error(map["compare"]?.Location ?? map.Location, $"'{what}.compare' names nothing to compare; use status, latency or body");
            valid = false;
        }

        return valid && percent is not null && duration is not null
            ? new CanaryMirrorStep(percent.Value, duration.Value, kind.Location) { Compare = compare }
            : null;
    }

    /// <summary>
    /// <c>[status, latency, body]</c>, each a name or a mapping with its options: <c>latency: { ratio: 3 }</c>,
    /// <c>body: { paths: [/api/**], ignore: [timestamp, $.meta.id] }</c>. Only what is listed is compared.
    /// </summary>
    private ShadowComparison? ReadComparisons(TemplateToken token, string what, ShadowComparison compare)
    {
        if (token is not SequenceToken { Items.Count: > 0 } sequence)
        {
            Error(token.Location, $"'{what}' must be a sequence of status, latency and body, such as [status, body]");
            return null;
        }

        compare = compare with { Status = false, LatencyRatio = null, BodyPaths = [], IgnoreFields = [] };
        var valid = true;
        for (var i = 0; i < sequence.Items.Count; i++)
        {
            var item = sequence.Items[i];
            var (kind, options) = item switch
            {
                ScalarToken scalar => (scalar, null),
                MappingToken { Pairs.Count: 1 } one => (one.Pairs[0].Key, one.Pairs[0].Value),
                _ => ((ScalarToken?)null, (TemplateToken?)null),
            };
            if (kind is null || !ComparisonKinds.Contains(kind.Value, StringComparer.Ordinal))
            {
                Error(kind?.Location ?? item.Location, $"'{what}[{i}]' must be status, latency or body{(kind is null ? "" : KeySuggestion.DidYouMean(kind.Value, ComparisonKinds))}");
                valid = false;
                continue;
            }

            switch (kind.Value)
            {
                case "status" when options is null:
                    compare = compare with { Status = true };
                    break;
                case "status":
                    Error(kind.Location, $"'{what}[{i}].status' takes no options");
                    valid = false;
                    break;
                case "latency":
                    var ratio = options is null ? 2 : ReadLatencyComparison(options, $"{what}[{i}].latency");
                    compare = compare with { LatencyRatio = ratio };
                    valid &= ratio is not null;
                    break;
                case "body":
                    var body = options is null ? (["/**"], []) : ReadBodyComparison(options, $"{what}[{i}].body");
                    compare = body is { } read ? compare with { BodyPaths = read.Paths, IgnoreFields = read.Ignore } : compare;
                    valid &= body is not null;
                    break;
            }
        }

        return valid ? compare : null;
    }

    /// <summary><c>{ ratio: 3 }</c>: a mirrored answer more than three times slower than stable's differs.</summary>
    private double? ReadLatencyComparison(TemplateToken token, string what)
    {
        if (ReadMapping(token, what) is not { } map)
        {
            return null;
        }

        double? ratio = 2;
        foreach (var (key, value) in map.Pairs)
        {
            if (key.Value != "ratio")
            {
                UnknownKey(key, LatencyComparisonKeys, what);
                return null;
            }

            ratio = ReadFraction(value, $"{what}.ratio", "a number of at least 1, such as 2 (twice as slow)", 1000);
            if (ratio is < 1)
            {
                Error(value.Location, $"'{what}.ratio' must be a number of at least 1, such as 2 (twice as slow), not '{ratio}'");
                return null;
            }
        }

        return ratio;
    }

    /// <summary><c>{ paths: [/api/**], ignore: [timestamp, $.meta.requestId] }</c>; paths default to every route.</summary>
    private (IReadOnlyList<string> Paths, IReadOnlyList<string> Ignore)? ReadBodyComparison(TemplateToken token, string what)
    {
        if (ReadMapping(token, what) is not { } map)
        {
            return null;
        }

        IReadOnlyList<string> paths = ["/**"], ignore = [];
        var valid = true;
        foreach (var (key, value) in map.Pairs)
        {
            switch (key.Value)
            {
                case "paths":
                    var readPaths = ReadStringList(value, $"{what}.paths");
                    foreach (var bad in readPaths?.Where(p => !IsPathPattern(p.Value)) ?? [])
                    {
                        Error(bad.Location, $"'{what}.paths' holds path patterns that start with '/', with * for one whole segment and ** only at the end, such as /api/** or /orders/*, not '{bad.Value}'");
                        valid = false;
                    }

                    paths = readPaths is { Count: > 0 } ? [.. readPaths.Select(p => p.Value)] : paths;
                    valid &= readPaths is not null;
                    break;
                case "ignore":
                    var readIgnore = ReadStringList(value, $"{what}.ignore");
                    foreach (var bad in readIgnore?.Where(f => f.Value.StartsWith('$') && !IsJsonPath(f.Value)) ?? [])
                    {
                        Error(bad.Location, $"'{what}.ignore' holds field names or paths from the root such as $.meta.requestId, not '{bad.Value}'");
                        valid = false;
                    }

                    ignore = readIgnore is null ? ignore : [.. readIgnore.Select(f => f.Value)];
                    valid &= readIgnore is not null;
                    break;
                default:
                    UnknownKey(key, BodyKeys, what);
                    valid = false;
                    break;
            }
        }

        return valid ? (paths, ignore) : null;
    }

    /// <summary>What the edge takes (ADR 0023): <c>/</c> first, <c>*</c> only as a whole segment, <c>**</c> only as the last.</summary>
    private static bool IsPathPattern(string pattern)
    {
        if (!pattern.StartsWith('/') || pattern.Any(char.IsWhiteSpace))
        {
            return false;
        }

        var segments = pattern[1..].Split('/');
        return segments.Select((segment, i) => segment switch
        {
            "*" => true,
            "**" => i == segments.Length - 1,
            _ => !segment.Contains('*', StringComparison.Ordinal),
        }).All(ok => ok);
    }

    private static bool IsJsonPath(string path) =>
        path.StartsWith("$.", StringComparison.Ordinal) && path[2..].Split('.').All(segment => segment.Length > 0);
}
