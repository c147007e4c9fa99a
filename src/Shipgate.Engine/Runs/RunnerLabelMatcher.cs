using Shipgate.Core.Expressions;
using Shipgate.Engine.Contexts;

namespace Shipgate.Engine.Runs;

/// <summary>
/// Matches an evaluated <c>runs-on</c> (a label, a list of labels, or {group, labels}) against the host
/// runner's labels: every label asked for must be one the runner has, ignoring case.
/// </summary>
internal static class RunnerLabelMatcher
{
    /// <summary>Null when the host matches, else the reason in one sentence.</summary>
    public static string? Mismatch(ExpressionValue runsOn, RunEngineOptions options)
    {
        var wanted = new List<string>();
        switch (runsOn)
        {
            case StringValue s:
                wanted.Add(s.Value);
                break;
            case ArrayValue a:
                wanted.AddRange(a.Items.Select(ValueConversion.ToDisplayString));
                break;
            case ObjectValue o:
                if (o["labels"] is ArrayValue labels)
                {
                    wanted.AddRange(labels.Items.Select(ValueConversion.ToDisplayString));
                }
                else if (o["labels"] is StringValue label)
                {
                    wanted.Add(label.Value);
                }

                if (wanted.Count == 0 && o["group"] is StringValue group)
                {
                    return $"runs-on asks for the runner group '{group.Value}', and this host has no runner groups (its labels: {string.Join(", ", Labels(options))})";
                }

                break;
            case { Kind: ValueKind.Null }:
                return "runs-on is empty";
            default:
                wanted.Add(ValueConversion.ToDisplayString(runsOn));
                break;
        }

        var have = new HashSet<string>(Labels(options), StringComparer.OrdinalIgnoreCase);
        var missing = wanted.Where(w => !have.Contains(w.Trim())).ToList();
        if (missing.Count == 0)
        {
            return null;
        }

        return $"no runner has the label{(missing.Count > 1 ? "s" : "")} {string.Join(", ", missing.Select(m => $"'{m}'"))}; this host's runner has {string.Join(", ", Labels(options))}";
    }

    private static IEnumerable<string> Labels(RunEngineOptions options) => options.RunnerLabels.Append(options.RunnerName);
}
