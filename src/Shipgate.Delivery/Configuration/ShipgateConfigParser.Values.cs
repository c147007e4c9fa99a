using Shipgate.Core.Diagnostics;
using Shipgate.Core.Workflows;

namespace Shipgate.Delivery.Configuration;

/// <summary>Readers for the values of shipgate.yml: each reports a wrong value at its position and returns null.</summary>
internal sealed partial class ShipgateConfigParser
{
    private void Error(SourceLocation at, string message) => _diagnostics.Add(Diagnostic.Error(at, message));

    private void Warning(SourceLocation at, string message) => _diagnostics.Add(Diagnostic.Warning(at, message));

    private void UnknownKey(ScalarToken key, IReadOnlyList<string> allowed, string? where) =>
        Error(key.Location, $"unknown key '{key.Value}' in {(where is null ? "shipgate.yml" : $"'{where}'")}{KeySuggestion.DidYouMean(key.Value, allowed)}");

    /// <summary>A mapping; a YAML null reads as an empty one. Null (after an error) for anything else.</summary>
    private MappingToken? ReadMapping(TemplateToken token, string what)
    {
        switch (token)
        {
            case MappingToken map:
                return map;
            case ScalarToken { IsNull: true }:
                return new MappingToken([], token.Location);
            default:
                Error(token.Location, $"'{what}' must be a mapping, not {token.KindName}");
                return null;
        }
    }

    /// <summary>A non-empty scalar (numbers and booleans are scalars too); null after an error.</summary>
    private ScalarToken? ReadString(TemplateToken token, string what)
    {
        if (token is not ScalarToken scalar)
        {
            Error(token.Location, $"'{what}' must be a string, not {token.KindName}");
            return null;
        }

        if (scalar.IsNull || scalar.Value.Length == 0)
        {
            Error(token.Location, $"'{what}' must not be empty");
            return null;
        }

        return scalar;
    }

    /// <summary>One string or a sequence of strings; the bad entries are reported and left out.</summary>
    private List<ScalarToken>? ReadStringList(TemplateToken token, string what)
    {
        switch (token)
        {
            case ScalarToken:
                return ReadString(token, what) is { } single ? [single] : null;
            case SequenceToken sequence:
                var items = new List<ScalarToken>(sequence.Items.Count);
                foreach (var item in sequence.Items)
                {
                    if (ReadString(item, what) is { } scalar)
                    {
                        items.Add(scalar);
                    }
                }

                return items;
            default:
                Error(token.Location, $"'{what}' must be a string or a sequence of strings, not {token.KindName}");
                return null;
        }
    }

    private bool? ReadBoolean(TemplateToken token, string what)
    {
        var scalar = ReadString(token, what);
        if (scalar is null)
        {
            return null;
        }

        if (!scalar.TryGetBoolean(out var value))
        {
            Error(scalar.Location, $"'{what}' must be true or false, not '{scalar.Value}'");
            return null;
        }

        return value;
    }

    private int? ReadInteger(TemplateToken token, string what, int min, int max)
    {
        var scalar = ReadString(token, what);
        if (scalar is null)
        {
            return null;
        }

        if (!scalar.TryGetNumber(out var number) || number != Math.Floor(number) || number < min || number > max)
        {
            Error(scalar.Location, $"'{what}' must be a whole number from {min} to {max}, not '{scalar.Value}'");
            return null;
        }

        return (int)number;
    }

    /// <summary>A duration such as 30m, 24h or 7d (see <see cref="DurationText"/>), from <paramref name="min"/> to <paramref name="max"/>.</summary>
    private TimeSpan? ReadDuration(TemplateToken token, string what, TimeSpan min, TimeSpan? max = null)
    {
        var scalar = ReadString(token, what);
        if (scalar is null)
        {
            return null;
        }

        max ??= DurationText.Max;
        if (!DurationText.TryParse(scalar.Value, out var value))
        {
            Error(scalar.Location, $"'{what}' must be a duration such as 90s, 30m, 24h, 7d or 1h30m, not '{scalar.Value}'");
            return null;
        }

        if (value < min || value > max)
        {
            Error(scalar.Location, $"'{what}' must be from {DurationText.Format(min)} to {DurationText.Format(max.Value)}, not '{scalar.Value}'");
            return null;
        }

        return value;
    }

    /// <summary>One of <paramref name="choices"/>, compared ordinally; null after an error with "did you mean".</summary>
    private ScalarToken? ReadChoice(TemplateToken token, string what, IReadOnlyList<string> choices)
    {
        var scalar = ReadString(token, what);
        if (scalar is null)
        {
            return null;
        }

        if (!choices.Contains(scalar.Value, StringComparer.Ordinal))
        {
            Error(scalar.Location, $"'{what}' must be {FormatChoices(choices)}, not '{scalar.Value}'{KeySuggestion.DidYouMean(scalar.Value, choices)}");
            return null;
        }

        return scalar;
    }

    private static string FormatChoices(IReadOnlyList<string> choices) =>
        choices.Count == 2 ? $"{choices[0]} or {choices[1]}" : string.Join(", ", choices.Take(choices.Count - 1)) + $" or {choices[^1]}";
}
