using Shipgate.Core.Diagnostics;
using Shipgate.Core.Workflows;

namespace Shipgate.Core.Yaml;

/// <summary>
/// Reads values out of a positioned token tree the way every Shipgate file is checked: a value of the wrong
/// kind is reported at its position ("'what' must be a mapping, not a sequence") and read as null, so that a
/// parser goes on and reports every problem in one pass. Shared by the workflow parser and shipgate.yml.
/// </summary>
public sealed class TokenReader(List<Diagnostic> diagnostics)
{
    public void Error(SourceLocation at, string message) => diagnostics.Add(Diagnostic.Error(at, message));

    public void Warning(SourceLocation at, string message) => diagnostics.Add(Diagnostic.Warning(at, message));

    /// <summary>"unknown key 'x' in WHERE; did you mean 'y'?"; <paramref name="where"/> is written as given (quote it yourself).</summary>
    public void UnknownKey(ScalarToken key, IEnumerable<string> allowed, string where) =>
        Error(key.Location, $"unknown key '{key.Value}' in {where}{KeySuggestion.DidYouMean(key.Value, allowed)}");

    /// <summary>A mapping; null (after an error) when the token is something else. A YAML null reads as an empty mapping unless <paramref name="nullIsEmpty"/> is false.</summary>
    public MappingToken? ReadMapping(TemplateToken token, string what, bool nullIsEmpty = true, string expected = "a mapping")
    {
        switch (token)
        {
            case MappingToken map:
                return map;
            case ScalarToken { IsNull: true } when nullIsEmpty:
                return new MappingToken([], token.Location);
            default:
                Error(token.Location, $"'{what}' must be {expected}, not {token.KindName}");
                return null;
        }
    }

    /// <summary>A scalar (strings, numbers and booleans all are); null after an error. A YAML null is an error unless <paramref name="allowEmpty"/>.</summary>
    public ScalarToken? ReadString(TemplateToken token, string what, bool allowEmpty = false)
    {
        if (token is not ScalarToken scalar)
        {
            Error(token.Location, $"'{what}' must be a string, not {token.KindName}");
            return null;
        }

        if (!allowEmpty && scalar.IsNull)
        {
            Error(token.Location, $"'{what}' must not be empty");
            return null;
        }

        return scalar;
    }

    /// <summary>One string or a sequence of strings; the bad entries are reported and left out.</summary>
    public List<ScalarToken>? ReadStringList(TemplateToken token, string what)
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

    /// <summary>A plain true or false; null after an error.</summary>
    public bool? ReadBoolean(TemplateToken token, string what)
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
}
