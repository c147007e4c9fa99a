using Shipgate.Core.Workflows;

namespace Shipgate.Delivery.Configuration;

internal sealed partial class ShipgateConfigParser
{
    private static readonly string[] FlagRampKeys = ["key", "steps", "guardrails", "on-failure"];
    private static readonly string[] FlagRampStepKinds = ["percent", "pause", "analysis", "approval"];
    private static readonly string[] FlagFailureActions = ["off", "freeze"];

    /// <summary>
    /// <c>flag: { key, steps: [ {percent: 5}, {analysis: {...}}, ... ], guardrails, on-failure: off|freeze }</c>; the
    /// steps are a canary's pause, analysis and approval steps and <c>percent</c>, which may not go down.
    /// </summary>
    private FlagRampStrategy? ReadFlagRamp(ScalarToken name, TemplateToken token, string what)
    {
        if (ReadMapping(token, what) is not { } map)
        {
            return null;
        }

        ScalarToken? flagKey = null;
        List<CanaryStep>? steps = null;
        var guardrails = CanaryGuardrails.Default;
        var onFailure = CanaryFailureAction.Rollback;
        var valid = true;
        foreach (var (key, value) in map.Pairs)
        {
            switch (key.Value)
            {
                case "key":
                    flagKey = ReadString(value, $"{what}.key");
                    if (flagKey is not null && !IsCountedFlagName(flagKey.Value))
                    {
                        Error(flagKey.Location, $"'{what}.key' must be 1 to 64 letters, digits, '-', '_' or '.' (what the edge counts in X-Shipgate-Flags), not '{flagKey.Value}'");
                        flagKey = null;
                    }

                    valid &= flagKey is not null;
                    break;
                case "steps":
                    steps = ReadFlagRampSteps(value, $"{what}.steps", ref valid);
                    break;
                case "guardrails":
                    var read = ReadGuardrails(value, $"{what}.guardrails");
                    guardrails = read ?? guardrails;
                    valid &= read is not null;
                    break;
                case "on-failure":
                    var action = ReadChoice(value, $"{what}.on-failure", FlagFailureActions);
                    valid &= action is not null;
                    onFailure = action?.Value == "freeze" ? CanaryFailureAction.Freeze : CanaryFailureAction.Rollback;
                    break;
                default:
                    UnknownKey(key, FlagRampKeys, what);
                    valid = false;
                    break;
            }
        }

        foreach (var missing in new[] { "key", "steps" }.Where(k => map[k] is null))
        {
            Error(name.Location, $"'{what}' needs '{missing}', such as {{ key: new-checkout, steps: [ {{ percent: 5 }}, {{ analysis: {{ duration: 5m }} }}, {{ percent: 100 }} ] }}");
            valid = false;
        }

        return valid && flagKey is not null && steps is not null
            ? new FlagRampStrategy(flagKey.Value, steps, name.Location) { Guardrails = guardrails, OnFailure = onFailure }
            : null;
    }

    private List<CanaryStep>? ReadFlagRampSteps(TemplateToken token, string what, ref bool valid)
    {
        if (token is not SequenceToken { Items.Count: > 0 } sequence)
        {
            Error(token.Location, $"'{what}' must be a sequence of steps (- percent: 5, - analysis: {{ duration: 5m }}, ...), not {(token is SequenceToken ? "an empty sequence" : token.KindName)}");
            valid = false;
            return null;
        }

        if (sequence.Items.Count > MaxCanarySteps)
        {
            Error(token.Location, $"'{what}' has {sequence.Items.Count} steps; the limit is {MaxCanarySteps}");
            valid = false;
            return null;
        }

        var steps = new List<CanaryStep>(sequence.Items.Count);
        FlagPercentStep? highest = null;
        for (var i = 0; i < sequence.Items.Count; i++)
        {
            var item = sequence.Items[i];
            var where = $"{what}[{i}]";
            if (item is not MappingToken { Pairs.Count: 1 } map || !FlagRampStepKinds.Contains(map.Pairs[0].Key.Value, StringComparer.Ordinal))
            {
                var kind = (item as MappingToken)?.Pairs.FirstOrDefault().Key;
                Error(kind?.Location ?? item.Location, kind is null || (item as MappingToken)!.Pairs.Count != 1
                    ? $"'{where}' must be a mapping with one key: {FormatChoices(FlagRampStepKinds)}"
                    : $"unknown flag ramp step '{kind.Value}' in '{where}'; use {FormatChoices(FlagRampStepKinds)}{KeySuggestion.DidYouMean(kind.Value, FlagRampStepKinds)}");
                valid = false;
                continue;
            }

            var (key, value) = map.Pairs[0];
            CanaryStep? step = key.Value == "percent"
                ? ReadWeight(value, $"{where}.percent") is { } percent ? new FlagPercentStep(percent, key.Location) : null
                : ReadCanaryStep(item, where);
            if (step is FlagPercentStep raised)
            {
                if (highest is not null && raised.Percent < highest.Percent)
                {
                    Error(raised.Location, $"'{what}': percent {raised.Percent:0.#} is below the earlier {highest.Percent:0.#} (line {highest.Location.Line}); a flag ramp only goes up (a failure or 'shipgate abort' turns the flag off)");
                    valid = false;
                }

                highest = raised;
            }

            valid &= step is not null;
            if (step is not null)
            {
                steps.Add(step);
            }
        }

        if (highest is null && steps.Count > 0)
        {
            Error(token.Location, $"'{what}' has no percent step, so it would never turn the flag on; add one, such as '- percent: 5'");
            valid = false;
        }

        return steps;
    }

    /// <summary>1 to 64 letters, digits, '-', '_' or '.': the flag keys and variants the edge counts (its FlagCounters.IsName).</summary>
    private static bool IsCountedFlagName(string name) =>
        name.Length is > 0 and <= 64 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');
}
