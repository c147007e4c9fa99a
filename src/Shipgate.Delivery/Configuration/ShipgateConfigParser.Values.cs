using Shipgate.Core.Diagnostics;
using Shipgate.Core.Workflows;

namespace Shipgate.Delivery.Configuration;

/// <summary>Readers for the values of shipgate.yml: each reports a wrong value at its position and returns null.</summary>
internal sealed partial class ShipgateConfigParser
{
    private void Error(SourceLocation at, string message) => _reader.Error(at, message);

    private void Warning(SourceLocation at, string message) => _reader.Warning(at, message);

    private void UnknownKey(ScalarToken key, IReadOnlyList<string> allowed, string? where) =>
        _reader.UnknownKey(key, allowed, where is null ? "shipgate.yml" : $"'{where}'");

    private MappingToken? ReadMapping(TemplateToken token, string what) => _reader.ReadMapping(token, what);

    /// <summary>A non-empty scalar: unlike a workflow, shipgate.yml has no value where a quoted '' means something.</summary>
    private ScalarToken? ReadString(TemplateToken token, string what)
    {
        var scalar = _reader.ReadString(token, what);
        if (scalar is { Value.Length: 0 })
        {
            Error(scalar.Location, $"'{what}' must not be empty");
            return null;
        }

        return scalar;
    }

    /// <summary>One string or a sequence of non-empty strings; the bad entries are reported and left out.</summary>
    private List<ScalarToken>? ReadStringList(TemplateToken token, string what)
    {
        var items = _reader.ReadStringList(token, what);
        if (items is null)
        {
            return null;
        }

        foreach (var empty in items.Where(i => i.Value.Length == 0))
        {
            Error(empty.Location, $"'{what}' must not be empty");
        }

        items.RemoveAll(i => i.Value.Length == 0);
        return items;
    }

    private bool? ReadBoolean(TemplateToken token, string what) => _reader.ReadBoolean(token, what);

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
