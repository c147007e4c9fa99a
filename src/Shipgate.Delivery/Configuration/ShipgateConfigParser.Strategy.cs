using Shipgate.Core.Workflows;

namespace Shipgate.Delivery.Configuration;

internal sealed partial class ShipgateConfigParser
{
    private static readonly string[] CanaryKeys = ["steps", "guardrails", "on-failure"];
    private static readonly string[] CanaryStepKinds = ["weight", "pause", "analysis", "approval", "mirror", "header-route"];
    private static readonly string[] DurationKeys = ["duration"];
    private static readonly string[] HeaderRouteKeys = ["name", "value"];
    private static readonly string[] FailureActions = ["rollback", "freeze"];

    /// <summary>The most steps of one canary.</summary>
    internal const int MaxCanarySteps = 100;

    private RolloutStrategy? ReadStrategy(TemplateToken token, string what)
    {
        if (token is ScalarToken)
        {
            var name = ReadChoice(token, what, RolloutStrategy.Names);
            switch (name?.Value)
            {
                case null:
                    return null;
                case "canary":
                    Error(name.Location, $"'{what}: canary' needs its steps: write 'canary:' with 'steps:' under it");
                    return null;
                case "shadow":
                    Error(name.Location, $"'{what}: shadow' needs its phase: write 'shadow:' with 'percent:' and 'duration:' under it");
                    return null;
                case "flag":
                    Error(name.Location, $"'{what}: flag' needs its flag and steps: write 'flag:' with 'key:' and 'steps:' under it");
                    return null;
                default:
                    return ReadSimpleStrategy(name, null, what);
            }
        }

        if (token is not MappingToken map || map.Pairs.Count != 1)
        {
            Error(token.Location, $"'{what}' must be rolling, blue-green, or a mapping with one of them (canary: with its steps, shadow: with its phase, flag: with its key and steps)");
            return null;
        }

        var (key, value) = map.Pairs[0];
        if (!RolloutStrategy.Names.Contains(key.Value, StringComparer.Ordinal))
        {
            Error(key.Location, $"unknown strategy '{key.Value}' in '{what}'; use rolling, blue-green, canary, shadow or flag{KeySuggestion.DidYouMean(key.Value, RolloutStrategy.Names)}");
            return null;
        }

        return key.Value switch
        {
            "canary" => ReadCanary(key, value, $"{what}.canary"),
            "shadow" => ReadShadow(key, value, $"{what}.shadow"),
            "flag" => ReadFlagRamp(key, value, $"{what}.flag"),
            _ => ReadSimpleStrategy(key, value, what),
        };
    }

    /// <summary>rolling and blue-green take no options yet; the edge issue adds them.</summary>
    private RolloutStrategy? ReadSimpleStrategy(ScalarToken name, TemplateToken? options, string what)
    {
        if (options is not null && ReadMapping(options, $"{what}.{name.Value}") is { } map)
        {
            foreach (var (key, _) in map.Pairs)
            {
                Error(key.Location, $"'{what}.{name.Value}' takes no options, not '{key.Value}'");
            }

            if (map.Pairs.Count > 0)
            {
                return null;
            }
        }

        return name.Value == "rolling" ? new RollingStrategy(name.Location) : new BlueGreenStrategy(name.Location);
    }

    private CanaryStrategy? ReadCanary(ScalarToken name, TemplateToken token, string what)
    {
        var map = ReadMapping(token, what);
        if (map is null)
        {
            return null;
        }

        List<CanaryStep>? steps = null;
        var guardrails = CanaryGuardrails.Default;
        var onFailure = CanaryFailureAction.Rollback;
        var valid = true;
        foreach (var (key, value) in map.Pairs)
        {
            if (key.Value == "guardrails")
            {
                if (ReadGuardrails(value, $"{what}.guardrails") is { } read)
                {
                    guardrails = read;
                }
                else
                {
                    valid = false;
                }

                continue;
            }

            if (key.Value == "on-failure")
            {
                var action = ReadChoice(value, $"{what}.on-failure", FailureActions);
                valid &= action is not null;
                onFailure = action?.Value == "freeze" ? CanaryFailureAction.Freeze : CanaryFailureAction.Rollback;
                continue;
            }

            if (key.Value != "steps")
            {
                UnknownKey(key, CanaryKeys, what);
                valid = false;
                continue;
            }

            steps = ReadCanarySteps(value, $"{what}.steps", ref valid);
        }

        if (steps is null)
        {
            if (map["steps"] is null)
            {
                Error(name.Location, $"'{what}' needs 'steps' (weight, pause, analysis, approval)");
            }

            return null;
        }

        return valid ? new CanaryStrategy(steps, name.Location) { Guardrails = guardrails, OnFailure = onFailure } : null;
    }

    private List<CanaryStep>? ReadCanarySteps(TemplateToken token, string what, ref bool valid)
    {
        if (token is not SequenceToken sequence || sequence.Items.Count == 0)
        {
            Error(token.Location, $"'{what}' must be a sequence of steps (- weight: 10, - analysis: {{ duration: 2m }}, ...), not {(token is SequenceToken ? "an empty sequence" : token.KindName)}");
            return null;
        }

        if (sequence.Items.Count > MaxCanarySteps)
        {
            Error(token.Location, $"'{what}' has {sequence.Items.Count} steps; the limit is {MaxCanarySteps}");
            return null;
        }

        var steps = new List<CanaryStep>(sequence.Items.Count);
        for (var i = 0; i < sequence.Items.Count; i++)
        {
            var step = ReadCanaryStep(sequence.Items[i], $"{what}[{i}]");
            if (step is null)
            {
                valid = false;
                continue;
            }

            steps.Add(step);
        }

        valid &= CheckCanaryOrder(steps, what);
        return steps;
    }

    private CanaryStep? ReadCanaryStep(TemplateToken token, string what)
    {
        if (token is not MappingToken { Pairs.Count: 1 } map)
        {
            Error(token.Location, $"'{what}' must be a mapping with one key: {FormatChoices(CanaryStepKinds)}");
            return null;
        }

        var (kind, value) = map.Pairs[0];
        switch (kind.Value)
        {
            case "weight":
                return ReadWeight(value, $"{what}.weight") is { } weight ? new CanaryWeightStep(weight, kind.Location) : null;
            case "pause":
                if (value is ScalarToken { IsNull: true } or MappingToken { Pairs.Count: 0 })
                {
                    return new CanaryPauseStep(null, kind.Location);
                }

                return ReadDurationBlock(value, $"{what}.pause") is { } pause ? new CanaryPauseStep(pause, kind.Location) : null;
            case "analysis":
                return ReadAnalysisStep(kind, value, $"{what}.analysis");
            case "approval":
                if (value is ScalarToken { IsNull: true } or MappingToken { Pairs.Count: 0 })
                {
                    return new CanaryApprovalStep(null, kind.Location);
                }

                return ReadApproval(value, $"{what}.approval") is { } approval ? new CanaryApprovalStep(approval, kind.Location) : null;
            case "mirror":
                return ReadMirror(value, kind, $"{what}.mirror", shadow: false);
            case "header-route":
                return ReadHeaderRoute(value, kind, $"{what}.header-route");
            default:
                Error(kind.Location, $"unknown canary step '{kind.Value}' in '{what}'; use {FormatChoices(CanaryStepKinds)}{KeySuggestion.DidYouMean(kind.Value, CanaryStepKinds)}");
                return null;
        }
    }

    /// <summary>A traffic percentage from 0 to 100 with at most one decimal (the edge routes in steps of 0.1%).</summary>
    private double? ReadWeight(TemplateToken token, string what)
    {
        var scalar = ReadString(token, what);
        if (scalar is null)
        {
            return null;
        }

        if (!scalar.TryGetNumber(out var weight) || !(weight is >= 0 and <= 100) || Math.Abs((weight * 10) - Math.Round(weight * 10)) > 1e-9)
        {
            Error(scalar.Location, $"'{what}' must be a percentage from 0 to 100 with at most one decimal, not '{scalar.Value}'");
            return null;
        }

        return Math.Round(weight, 1, MidpointRounding.AwayFromZero);
    }

    /// <summary><c>{ duration: 5m }</c>, the only option of pause steps (analysis steps: ShipgateConfigParser.Analysis.cs).</summary>
    private TimeSpan? ReadDurationBlock(TemplateToken token, string what)
    {
        var map = ReadMapping(token, what);
        if (map is null)
        {
            return null;
        }

        TimeSpan? duration = null;
        var valid = true;
        foreach (var (key, value) in map.Pairs)
        {
            if (key.Value == "duration")
            {
                duration = ReadDuration(value, $"{what}.duration", TimeSpan.FromSeconds(1));
            }
            else
            {
                UnknownKey(key, DurationKeys, what);
                valid = false;
            }
        }

        if (duration is null && map["duration"] is null)
        {
            Error(map.Location, $"'{what}' needs 'duration', such as {{ duration: 2m }}");
        }

        return valid ? duration : null;
    }

    /// <summary>
    /// Traffic only grows: a weight below an earlier one is an error (a rollout that shrinks is an abort, which
    /// <c>shipgate abort</c> does), and a mirror step, a shadow phase before live traffic, comes before any weight above 0.
    /// </summary>
    private bool CheckCanaryOrder(List<CanaryStep> steps, string what)
    {
        var valid = true;
        CanaryWeightStep? highest = null;
        foreach (var step in steps)
        {
            switch (step)
            {
                case CanaryWeightStep weight when highest is not null && weight.Weight < highest.Weight:
                    Error(weight.Location, $"'{what}': weight {weight.Weight:0.#} is below the earlier {highest.Weight:0.#} (line {highest.Location.Line}); a canary's weights may not go down");
                    valid = false;
                    break;
                case CanaryWeightStep weight:
                    highest = weight;
                    break;
                case CanaryMirrorStep mirror when highest is { Weight: > 0 }:
                    Error(mirror.Location, $"'{what}': a mirror step comes before live traffic, but weight {highest.Weight:0.#} is given earlier (line {highest.Location.Line})");
                    valid = false;
                    break;
            }
        }

        return valid;
    }

    /// <summary><c>{ name: X-Canary, value: "1" }</c>: an HTTP header name (a token) and the exact value that routes to the canary.</summary>
    private CanaryHeaderRouteStep? ReadHeaderRoute(TemplateToken token, ScalarToken kind, string what)
    {
        if (ReadMapping(token, what) is not { } map)
        {
            return null;
        }

        ScalarToken? name = null, value = null;
        var valid = true;
        foreach (var (key, item) in map.Pairs)
        {
            switch (key.Value)
            {
                case "name":
                    name = ReadString(item, $"{what}.name");
                    if (name is not null && !IsHeaderName(name.Value))
                    {
                        Error(name.Location, $"'{what}.name' must be an HTTP header name (letters, digits and !#$%&'*+-.^_`|~, at most 100), not '{name.Value}'");
                        name = null;
                    }

                    valid &= name is not null;
                    break;
                case "value":
                    value = ReadString(item, $"{what}.value");
                    if (value is { Value.Length: > 1000 } || value?.Value.Any(char.IsControl) == true)
                    {
                        Error(value.Location, $"'{what}.value' must be at most 1000 characters without control characters");
                        value = null;
                    }

                    valid &= value is not null;
                    break;
                default:
                    UnknownKey(key, HeaderRouteKeys, what);
                    valid = false;
                    break;
            }
        }

        foreach (var missing in HeaderRouteKeys.Where(k => map[k] is null))
        {
            Error(map.Location, $"'{what}' needs '{missing}', such as {{ name: X-Canary, value: \"1\" }}");
            valid = false;
        }

        return valid && name is not null && value is not null ? new CanaryHeaderRouteStep(name.Value, value.Value, kind.Location) : null;
    }

    private static bool IsHeaderName(string name) =>
        name.Length is > 0 and <= 100 && name.All(c => char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c, StringComparison.Ordinal));

    /// <summary>A canary approval step without reviewers uses the environment's approval, which must then exist.</summary>
    private void CheckCanaryApprovals(RolloutStrategy strategy, bool environmentHasApproval, string what)
    {
        if (strategy is not CanaryStrategy canary || environmentHasApproval)
        {
            return;
        }

        foreach (var step in canary.Steps.OfType<CanaryApprovalStep>().Where(s => s.Approval is null))
        {
            Error(step.Location, $"this approval step of '{what}.strategy' names no reviewers and the environment has no 'approval' block; add 'reviewers' to the step");
        }
    }
}
