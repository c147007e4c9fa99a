using System.Globalization;
using Shipgate.Core.Workflows;

namespace Shipgate.Delivery.Configuration;

/// <summary>The canary's <c>analysis</c> steps and <c>guardrails</c> (docs/progressive-delivery.md, "Analysis").</summary>
internal sealed partial class ShipgateConfigParser
{
    private static readonly string[] AnalysisKeys = ["duration", "interval", "metrics", "min-requests", "on-inconclusive", "alpha"];
    private static readonly string[] MetricKinds = ["error-rate", "latency", "prometheus", "http", "command"];
    private static readonly string[] LatencyKeys = ["quantiles", "max-increase"];
    private static readonly string[] PrometheusKeys = ["name", "address", "query", "success", "failure"];
    private static readonly string[] CommandKeys = ["name", "run", "timeout"];
    private static readonly string[] GuardrailKeys = ["max-error-rate", "min-requests", "max-p99", "crash-looping", "window"];
    private static readonly string[] InconclusivePolicies = ["pause", "fail", "promote"];

    /// <summary>The most metrics of one analysis step, and the longest query or command.</summary>
    internal const int MaxAnalysisMetrics = 20;

    internal const int MaxMetricText = 4000;

    private CanaryAnalysisStep? ReadAnalysisStep(ScalarToken kind, TemplateToken token, string what)
    {
        var map = ReadMapping(token, what);
        if (map is null)
        {
            return null;
        }

        var valid = true;
        TimeSpan? duration = null, interval = null;
        IReadOnlyList<AnalysisMetric>? metrics = [];
        int? minRequests = 100;
        double? alpha = 0.05;
        var policy = InconclusivePolicy.Pause;
        foreach (var (key, value) in map.Pairs)
        {
            switch (key.Value)
            {
                case "duration":
                    duration = ReadDuration(value, $"{what}.duration", TimeSpan.FromSeconds(1));
                    valid &= duration is not null;
                    break;
                case "interval":
                    interval = ReadDuration(value, $"{what}.interval", TimeSpan.FromSeconds(1), TimeSpan.FromHours(1));
                    valid &= interval is not null;
                    break;
                case "metrics":
                    metrics = ReadMetrics(value, $"{what}.metrics");
                    valid &= metrics is not null;
                    break;
                case "min-requests":
                    minRequests = ReadInteger(value, $"{what}.min-requests", 0, 100_000_000);
                    valid &= minRequests is not null;
                    break;
                case "alpha":
                    alpha = ReadFraction(value, $"{what}.alpha", "a probability above 0 and at most 0.5, such as 0.05", 0.5);
                    valid &= alpha is not null;
                    break;
                case "on-inconclusive":
                    var choice = ReadChoice(value, $"{what}.on-inconclusive", InconclusivePolicies);
                    policy = choice?.Value switch
                    {
                        "fail" => InconclusivePolicy.Fail,
                        "promote" => InconclusivePolicy.Promote,
                        _ => InconclusivePolicy.Pause,
                    };
                    valid &= choice is not null;
                    break;
                default:
                    UnknownKey(key, AnalysisKeys, what);
                    valid = false;
                    break;
            }
        }

        if (map["duration"] is null)
        {
            Error(map.Location, $"'{what}' needs 'duration', such as {{ duration: 2m }}");
            return null;
        }

        if (duration is { } d && interval is { } i && i > d)
        {
            Error(map["interval"]!.Location, $"'{what}.interval' ({DurationText.Format(i)}) is longer than its duration ({DurationText.Format(d)})");
            valid = false;
        }

        return valid
            ? new CanaryAnalysisStep(duration!.Value, kind.Location)
            {
                Interval = interval ?? CanaryAnalysisStep.DefaultInterval,
                Metrics = metrics!,
                MinRequests = minRequests!.Value,
                Alpha = alpha!.Value,
                OnInconclusive = policy,
            }
            : null;
    }

    private List<AnalysisMetric>? ReadMetrics(TemplateToken token, string what)
    {
        if (token is not SequenceToken sequence || sequence.Items.Count == 0)
        {
            var found = token is SequenceToken ? "an empty sequence: leave 'metrics' out for error-rate and latency" : token.KindName;
            Error(token.Location, $"'{what}' must be a sequence of metrics (error-rate, latency, prometheus, http, command), not {found}");
            return null;
        }

        if (sequence.Items.Count > MaxAnalysisMetrics)
        {
            Error(token.Location, $"'{what}' has {sequence.Items.Count} metrics; the limit is {MaxAnalysisMetrics}");
            return null;
        }

        var metrics = new List<AnalysisMetric>();
        var valid = true;
        for (var i = 0; i < sequence.Items.Count; i++)
        {
            var metric = ReadMetric(sequence.Items[i], $"{what}[{i}]");
            if (metric is ErrorRateMetric or LatencyMetric && metrics.Any(m => m.GetType() == metric.GetType()))
            {
                Error(sequence.Items[i].Location, $"'{what}' names {metric.Name} twice; write it once");
                metric = null;
            }

            valid &= metric is not null;
            if (metric is not null)
            {
                metrics.Add(metric);
            }
        }

        return valid ? metrics : null;
    }

    private AnalysisMetric? ReadMetric(TemplateToken token, string what)
    {
        // `- error-rate` and `- latency` take their defaults; everything else is a mapping with one key.
        var (kind, value) = token switch
        {
            ScalarToken { IsNull: false } scalar => (scalar, (TemplateToken?)null),
            MappingToken { Pairs.Count: 1 } single => (single.Pairs[0].Key, single.Pairs[0].Value),
            _ => (null, null),
        };
        if (kind is null)
        {
            Error(token.Location, $"'{what}' must be a metric: error-rate, latency, or a mapping with one key (prometheus, http, command)");
            return null;
        }

        var options = value is null or ScalarToken { IsNull: true } ? null : value;
        var at = $"{what}.{kind.Value}";
        switch (kind.Value)
        {
            case "error-rate":
                if (options is not null && ReadMapping(options, at) is { Pairs.Count: > 0 } extra)
                {
                    Error(extra.Location, $"'{at}' takes no options");
                    return null;
                }

                return new ErrorRateMetric(kind.Location);
            case "latency":
                return options is null ? new LatencyMetric(kind.Location) : ReadLatency(options, kind, at);
            case "prometheus" when options is not null:
                return ReadPrometheus(options, kind, at);
            case "http" when options is not null:
                if (ReadSmokeCheck(options, at) is not { } check)
                {
                    return null;
                }

                if (check.Host is not null)
                {
                    Error(
                        options.Location, $"'{at}.host' is not allowed: an analysis check always goes to the canary's own host, pinned to its version");
                    return null;
                }

                return new HttpCheckMetric(check, kind.Location);
            case "command" when options is not null:
                return ReadCommand(options, kind, at);
            case "prometheus" or "http" or "command":
                var example = kind.Value switch
                {
                    "http" => "{ path: /health }",
                    "command" => "{ run: ./check.sh }",
                    _ => "{ query: ..., success: \"< 0.01\" }",
                };
                Error(kind.Location, $"'{at}' needs its options, such as {example}");
                return null;
            default:
                var suggestion = KeySuggestion.DidYouMean(kind.Value, MetricKinds);
                Error(kind.Location, $"unknown metric '{kind.Value}' in '{what}'; use error-rate, latency, prometheus, http or command{suggestion}");
                return null;
        }
    }

    private LatencyMetric? ReadLatency(TemplateToken token, ScalarToken kind, string what)
    {
        var map = ReadMapping(token, what);
        if (map is null)
        {
            return null;
        }

        var metric = new LatencyMetric(kind.Location);
        var valid = true;
        foreach (var (key, value) in map.Pairs)
        {
            switch (key.Value)
            {
                case "quantiles":
                    var quantiles = new List<double>();
                    foreach (var item in ReadStringList(value, $"{what}.quantiles") ?? [])
                    {
                        var text = item.Value.StartsWith('p') ? item.Value[1..] : item.Value;
                        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var percent) && percent is > 0 and < 100)
                        {
                            quantiles.Add((double)((decimal)percent / 100));
                        }
                        else
                        {
                            Error(
                                item.Location, $"'{what}.quantiles' takes percentiles above 0 and below 100, such as 50, 99 or p99.9, not '{item.Value}'");
                            valid = false;
                        }
                    }

                    if (quantiles.Count == 0)
                    {
                        valid = false;
                    }

                    metric = metric with { Quantiles = quantiles.Distinct().ToList() };
                    break;
                case "max-increase":
                    var increase = ReadPercent(value, $"{what}.max-increase", 0, 10);
                    valid &= increase is not null;
                    metric = metric with { MaxIncrease = increase ?? 0 };
                    break;
                default:
                    UnknownKey(key, LatencyKeys, what);
                    valid = false;
                    break;
            }
        }

        return valid ? metric : null;
    }

    private PrometheusMetric? ReadPrometheus(TemplateToken token, ScalarToken kind, string what)
    {
        var map = ReadMapping(token, what);
        if (map is null)
        {
            return null;
        }

        var valid = true;
        string? name = null, query = null;
        Uri? address = null;
        MetricCondition? success = null, failure = null;
        foreach (var (key, value) in map.Pairs)
        {
            switch (key.Value)
            {
                case "name":
                    name = ReadString(value, $"{what}.name")?.Value;
                    break;
                case "query":
                    query = ReadMetricText(value, $"{what}.query");
                    break;
                case "address":
                    if (ReadString(value, $"{what}.address") is { } a)
                    {
                        if (Uri.TryCreate(a.Value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
                            && uri.UserInfo.Length == 0 && uri.Query.Length == 0 && uri.Fragment.Length == 0)
                        {
                            address = uri;
                        }
                        else
                        {
                            Error(
                                a.Location,
                                $"'{what}.address' must be an http or https address such as http://prometheus:9090, without credentials or query, not '{a.Value}'");
                            valid = false;
                        }
                    }

                    break;
                case "success":
                    success = ReadCondition(value, $"{what}.success");
                    valid &= success is not null;
                    break;
                case "failure":
                    failure = ReadCondition(value, $"{what}.failure");
                    valid &= failure is not null;
                    break;
                default:
                    UnknownKey(key, PrometheusKeys, what);
                    valid = false;
                    break;
            }
        }

        if (map["query"] is null)
        {
            Error(map.Location, $"'{what}' needs 'query': a PromQL expression that gives one number");
            return null;
        }

        if (map["success"] is null && map["failure"] is null)
        {
            Error(map.Location, $"'{what}' needs 'success' or 'failure' (or both), such as success: \"< 0.01\"");
            return null;
        }

        return valid && query is not null
            ? new PrometheusMetric(query, kind.Location) { Label = name, Address = address, Success = success, Failure = failure }
            : null;
    }

    private CommandMetric? ReadCommand(TemplateToken token, ScalarToken kind, string what)
    {
        var map = ReadMapping(token, what);
        if (map is null)
        {
            return null;
        }

        var valid = true;
        string? name = null, run = null;
        TimeSpan? timeout = TimeSpan.FromSeconds(30);
        foreach (var (key, value) in map.Pairs)
        {
            switch (key.Value)
            {
                case "name":
                    name = ReadString(value, $"{what}.name")?.Value;
                    break;
                case "run":
                    run = ReadMetricText(value, $"{what}.run");
                    break;
                case "timeout":
                    timeout = ReadDuration(value, $"{what}.timeout", TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(10));
                    valid &= timeout is not null;
                    break;
                default:
                    UnknownKey(key, CommandKeys, what);
                    valid = false;
                    break;
            }
        }

        if (map["run"] is null)
        {
            Error(map.Location, $"'{what}' needs 'run': the command whose exit code decides");
            return null;
        }

        return valid && run is not null ? new CommandMetric(run, kind.Location) { Label = name, Timeout = timeout!.Value } : null;
    }

    /// <summary><c>strategy: canary: guardrails:</c>; every key optional, each with its default.</summary>
    private CanaryGuardrails? ReadGuardrails(TemplateToken token, string what)
    {
        var map = ReadMapping(token, what);
        if (map is null)
        {
            return null;
        }

        var guardrails = new CanaryGuardrails { Location = map.Location };
        var valid = true;
        foreach (var (key, value) in map.Pairs)
        {
            switch (key.Value)
            {
                case "max-error-rate":
                    var rate = ReadPercent(value, $"{what}.max-error-rate", 0, 1);
                    valid &= rate is not null;
                    guardrails = guardrails with { MaxErrorRate = rate ?? 0 };
                    break;
                case "min-requests":
                    var min = ReadInteger(value, $"{what}.min-requests", 1, 1_000_000);
                    valid &= min is not null;
                    guardrails = guardrails with { MinRequests = min ?? 1 };
                    break;
                case "max-p99":
                    var p99 = ReadShortDuration(value, $"{what}.max-p99", TimeSpan.FromMilliseconds(1), TimeSpan.FromMinutes(5));
                    valid &= p99 is not null;
                    guardrails = guardrails with { MaxP99 = p99 };
                    break;
                case "crash-looping":
                    var crash = ReadBoolean(value, $"{what}.crash-looping");
                    valid &= crash is not null;
                    guardrails = guardrails with { CrashLooping = crash ?? true };
                    break;
                case "window":
                    var window = ReadDuration(value, $"{what}.window", TimeSpan.FromSeconds(1), TimeSpan.FromHours(1));
                    valid &= window is not null;
                    guardrails = guardrails with { Window = window ?? TimeSpan.Zero };
                    break;
                default:
                    UnknownKey(key, GuardrailKeys, what);
                    valid = false;
                    break;
            }
        }

        return valid ? guardrails : null;
    }

    /// <summary>
    /// A percentage written with its sign (<c>10%</c>, <c>0.5%</c>), as a fraction from <paramref name="min"/> to <paramref name="max"/>.
    /// </summary>
    private double? ReadPercent(TemplateToken token, string what, double min, double max)
    {
        var scalar = ReadString(token, what);
        if (scalar is null)
        {
            return null;
        }

        var text = scalar.Value;
        if (!text.EndsWith('%')
            || !double.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.Float, CultureInfo.InvariantCulture, out var percent)
            || !(percent / 100 >= min && percent / 100 <= max))
        {
            Error(scalar.Location, $"'{what}' must be a percentage from {min * 100:0.##}% to {max * 100:0.##}%, such as 10%, not '{text}'");
            return null;
        }

        return percent / 100;
    }

    /// <summary>A number above 0 and at most <paramref name="max"/>.</summary>
    private double? ReadFraction(TemplateToken token, string what, string expected, double max)
    {
        var scalar = ReadString(token, what);
        if (scalar is null)
        {
            return null;
        }

        if (!scalar.TryGetNumber(out var number) || !(number > 0 && number <= max))
        {
            Error(scalar.Location, $"'{what}' must be {expected}, not '{scalar.Value}'");
            return null;
        }

        return number;
    }

    private MetricCondition? ReadCondition(TemplateToken token, string what)
    {
        var scalar = ReadString(token, what);
        if (scalar is null)
        {
            return null;
        }

        var condition = MetricCondition.TryParse(scalar.Value);
        if (condition is null)
        {
            var operators = string.Join(' ', MetricCondition.Operators);
            Error(scalar.Location, $"'{what}' must be a comparison with a number, such as \"< 0.01\" or \">= 100\" (operators {operators}), not '{scalar.Value}'");
        }

        return condition;
    }

    private string? ReadMetricText(TemplateToken token, string what)
    {
        var scalar = ReadString(token, what);
        if (scalar is not null && scalar.Value.Length > MaxMetricText)
        {
            Error(scalar.Location, $"'{what}' is {scalar.Value.Length} characters long; the limit is {MaxMetricText}");
            return null;
        }

        return scalar?.Value;
    }
}
