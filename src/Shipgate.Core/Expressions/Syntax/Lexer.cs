using System.Text;

namespace Shipgate.Core.Expressions.Syntax;

/// <summary>
/// Splits an expression into tokens. An illegal symbol is a lexing error:
/// "Unexpected symbol: 'X'. Located at position N within expression: ...".
/// </summary>
/// <remarks>
/// GitHub's rules: a <c>.</c> is a property dereference after a name, <c>]</c>, <c>)</c> or <c>*</c>, and
/// otherwise starts a number (<c>.5</c>); <c>-</c> and <c>+</c> always start a number (there is no arithmetic);
/// a number or name runs to the next boundary character, and must then be a whole number or legal name
/// (<c>0xFZ</c>, <c>b@r</c> are errors); true, false, null, NaN and Infinity are keywords except after a <c>.</c>.
/// </remarks>
internal static class Lexer
{
    public static List<Token> Tokenize(string text)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
                continue;
            }

            var previous = tokens.Count > 0 ? tokens[^1].Kind : TokenKind.End;
            switch (c)
            {
                case '(':
                    tokens.Add(new Token(TokenKind.LeftParen, i++, 1));
                    break;
                case ')':
                    tokens.Add(new Token(TokenKind.RightParen, i++, 1));
                    break;
                case '[':
                    tokens.Add(new Token(TokenKind.LeftBracket, i++, 1));
                    break;
                case ']':
                    tokens.Add(new Token(TokenKind.RightBracket, i++, 1));
                    break;
                case ',':
                    tokens.Add(new Token(TokenKind.Comma, i++, 1));
                    break;
                case '*':
                    tokens.Add(new Token(TokenKind.Star, i++, 1));
                    break;
                case '.' when previous is TokenKind.Identifier or TokenKind.RightBracket or TokenKind.RightParen or TokenKind.Star:
                    tokens.Add(new Token(TokenKind.Dot, i++, 1));
                    break;
                case '.' or '-' or '+' or (>= '0' and <= '9'):
                    tokens.Add(ReadNumber(text, ref i));
                    break;
                case '\'':
                    tokens.Add(ReadString(text, ref i));
                    break;
                case '!':
                    tokens.Add(Operator(text, ref i, TokenKind.Bang, TokenKind.BangEqual, '='));
                    break;
                case '<':
                    tokens.Add(Operator(text, ref i, TokenKind.Less, TokenKind.LessEqual, '='));
                    break;
                case '>':
                    tokens.Add(Operator(text, ref i, TokenKind.Greater, TokenKind.GreaterEqual, '='));
                    break;
                case '=':
                    tokens.Add(PairOnly(text, ref i, TokenKind.EqualEqual));
                    break;
                case '&':
                    tokens.Add(PairOnly(text, ref i, TokenKind.And));
                    break;
                case '|':
                    tokens.Add(PairOnly(text, ref i, TokenKind.Or));
                    break;
                default:
                    tokens.Add(ReadWord(text, ref i, afterDot: previous == TokenKind.Dot));
                    break;
            }
        }

        return tokens;
    }

    private static Token Operator(string text, ref int i, TokenKind single, TokenKind withSecond, char second)
    {
        var start = i++;
        if (i < text.Length && text[i] == second)
        {
            i++;
            return new Token(withSecond, start, 2);
        }

        return new Token(single, start, 1);
    }

    // "==", "&&", "||": the single character is illegal.
    private static Token PairOnly(string text, ref int i, TokenKind kind)
    {
        var start = i;
        if (i + 1 < text.Length && text[i + 1] == text[i])
        {
            i += 2;
            return new Token(kind, start, 2);
        }

        i++;
        SkipToBoundary(text, ref i, stopAtDot: true);
        throw Unexpected(text, start, i);
    }

    private static Token ReadNumber(string text, ref int i)
    {
        var start = i++;
        SkipToBoundary(text, ref i, stopAtDot: false);
        var number = ExpressionNumbers.Parse(text.AsSpan(start, i - start));
        if (double.IsNaN(number))
        {
            throw Unexpected(text, start, i);
        }

        return new Token(TokenKind.Literal, start, i - start, new NumberValue(number));
    }

    private static Token ReadString(string text, ref int i)
    {
        var start = i++;
        StringBuilder? escaped = null;
        var segment = i;
        while (i < text.Length)
        {
            if (text[i] != '\'')
            {
                i++;
                continue;
            }

            if (i + 1 < text.Length && text[i + 1] == '\'')
            {
                // '' is one quote.
                escaped ??= new StringBuilder();
                escaped.Append(text, segment, i + 1 - segment);
                i += 2;
                segment = i;
                continue;
            }

            var value = escaped is null
                ? text.Substring(start + 1, i - start - 1)
                : escaped.Append(text, segment, i - segment).ToString();
            i++;
            return new Token(TokenKind.Literal, start, i - start, new StringValue(value));
        }

        throw Unexpected(text, start, text.Length);
    }

    private static Token ReadWord(string text, ref int i, bool afterDot)
    {
        var start = i++;
        SkipToBoundary(text, ref i, stopAtDot: true);
        var word = text.AsSpan(start, i - start);
        if (!IsLegalName(word))
        {
            throw Unexpected(text, start, i);
        }

        if (!afterDot)
        {
            ExpressionValue? keyword = word switch
            {
                "true" => ExpressionValue.True,
                "false" => ExpressionValue.False,
                "null" => ExpressionValue.Null,
                "NaN" => new NumberValue(double.NaN),
                "Infinity" => new NumberValue(double.PositiveInfinity),
                _ => null,
            };
            if (keyword is not null)
            {
                return new Token(TokenKind.Literal, start, i - start, keyword);
            }
        }

        return new Token(TokenKind.Identifier, start, i - start);
    }

    private static void SkipToBoundary(string text, ref int i, bool stopAtDot)
    {
        while (i < text.Length && !(IsBoundary(text[i]) && (stopAtDot || text[i] != '.')))
        {
            i++;
        }
    }

    private static bool IsBoundary(char c)
        => c is '(' or '[' or ')' or ']' or ',' or '.' or '!' or '>' or '<' or '=' or '&' or '|' || char.IsWhiteSpace(c);

    /// <summary>A letter or '_', then letters, digits, '_' and '-' (ASCII only).</summary>
    public static bool IsLegalName(ReadOnlySpan<char> word)
    {
        if (word.IsEmpty || !(char.IsAsciiLetter(word[0]) || word[0] == '_'))
        {
            return false;
        }

        foreach (var c in word[1..])
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '-'))
            {
                return false;
            }
        }

        return true;
    }

    private static ExpressionException Unexpected(string text, int start, int end)
        => new(ExpressionError.At(ExpressionErrorKind.Lexing, $"Unexpected symbol: '{text[start..end]}'", start, text));
}
