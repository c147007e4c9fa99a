namespace Shipgate.Core.Yaml;

/// <summary>Turns YamlDotNet's exception messages into one sentence a workflow author can act on.</summary>
internal static class YamlErrorMessages
{
    private const string Prefix = "YAML syntax error: ";

    // The most common mistakes get a sentence that says what to do; the rest keep YamlDotNet's wording.
    private static readonly (string Fragment, string Sentence)[] KnownMessages =
    [
        ("did not find expected key", "did not find the expected key; check the indentation of this line"),
        ("found invalid mapping", "a plain value cannot contain ': '; quote the value"),
        ("Mapping values are not allowed in this context", "a ':' is not allowed here; quote the value or fix the indentation"),
        ("found character that cannot start any token", "this character cannot start a value; quote the value"),
        ("quoted scalar, found unexpected end of stream", "a quoted string is not closed"),
        ("found unknown escape character", "unknown escape sequence in a double-quoted string; use single quotes or write '\\\\'"),
        ("did not find expected '-' indicator", "expected a '-' sequence entry here; check the indentation"),
        ("did not find expected ',' or '}'", "a '{' mapping is not closed, or lacks a ',' between its entries"),
        ("did not find expected ',' or ']'", "a '[' sequence is not closed, or lacks a ',' between its entries"),
        ("tab", "tabs cannot indent YAML; use spaces"),
        ("Block sequence entries are not allowed in this context", "a '-' sequence entry is not allowed here; check the indentation"),
        ("could not find expected ':'", "expected ':' after a key"),
        ("did not find expected node content", "expected a value here"),
    ];

    public static string FromYamlDotNet(string message)
    {
        foreach (var (fragment, sentence) in KnownMessages)
        {
            if (message.Contains(fragment, StringComparison.Ordinal))
            {
                return Prefix + sentence;
            }
        }

        var text = message.Trim().TrimEnd('.');
        if (text.Length > 0 && char.IsUpper(text[0]) && (text.Length == 1 || !char.IsUpper(text[1])))
        {
            text = char.ToLowerInvariant(text[0]) + text[1..];
        }

        return Prefix + text;
    }

    /// <summary>For exceptions YamlDotNet throws without a position (a known gap of its scanner).</summary>
    public static string Unexpected => Prefix + "unexpected content; check for an unclosed '[', '{' or quote before this point";
}
