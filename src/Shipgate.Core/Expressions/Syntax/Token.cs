namespace Shipgate.Core.Expressions.Syntax;

/// <summary>
/// One token: where it is (0-based <see cref="Index"/>, <see cref="Length"/>), and for a literal its value,
/// built once here so that evaluation never converts or allocates it.
/// </summary>
internal readonly record struct Token(TokenKind Kind, int Index, int Length, ExpressionValue? Value = null)
{
    /// <summary>The token as error messages show it: a string literal by its value, anything else as written.</summary>
    public string Describe(string text) => Kind switch
    {
        TokenKind.End => "EOF",
        TokenKind.Literal when Value is StringValue s => s.Value,
        _ => text.Substring(Index, Length),
    };
}
