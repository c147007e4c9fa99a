using Shipgate.Core.Expressions.Nodes;

namespace Shipgate.Core.Expressions.Syntax;

/// <summary>
/// Recursive descent over the tokens. Precedence, loosest first: <c>||</c>, <c>&amp;&amp;</c>, <c>== !=</c>,
/// <c>&lt; &lt;= &gt; &gt;=</c>, <c>!</c>, then property and index access, which apply only to a named value,
/// a function call or a parenthesized expression (<c>'abc'[0]</c> is not an expression). Names are checked here:
/// an unknown named value or function, or a wrong number of arguments, is a parsing error.
/// </summary>
internal sealed class Parser
{
    private readonly string _text;
    private readonly List<Token> _tokens;
    private readonly ExpressionParseOptions _options;
    private int _next;
    private int _depth;

    private Parser(string text, List<Token> tokens, ExpressionParseOptions options)
    {
        _text = text;
        _tokens = tokens;
        _options = options;
        _tokens.Add(new Token(TokenKind.End, text.Length, 0));
    }

    /// <summary>True when the expression calls success(), always(), failure() or cancelled().</summary>
    private bool UsesStatusFunction { get; set; }

    /// <summary>Parses <paramref name="text"/>; throws <see cref="ExpressionException"/> for lexing and parsing errors.</summary>
    public static ExpressionNode Parse(string text, ExpressionParseOptions options, out bool usesStatusFunction)
    {
        if (text.Length > options.MaxLength)
        {
            // As GitHub: the message does not repeat an expression this long.
            throw new ExpressionException(new ExpressionError(ExpressionErrorKind.Parsing, $"Exceeded max expression length {options.MaxLength}", 1));
        }

        var parser = new Parser(text, Lexer.Tokenize(text), options);
        var root = parser.ParseAll();
        usesStatusFunction = parser.UsesStatusFunction;
        return root;
    }

    private ExpressionNode ParseAll()
    {
        if (Peek().Kind == TokenKind.End)
        {
            return new LiteralNode(ExpressionValue.Null, 0);
        }

        var root = Expression();
        if (Peek().Kind != TokenKind.End)
        {
            throw Unexpected(Peek());
        }

        return root;
    }

    private ExpressionNode Expression()
    {
        Enter();
        var node = Or();
        _depth--;
        return node;
    }

    private ExpressionNode Or()
    {
        var first = And();
        if (Peek().Kind != TokenKind.Or)
        {
            return first;
        }

        var operands = new List<ExpressionNode> { first };
        while (Match(TokenKind.Or))
        {
            operands.Add(And());
        }

        return Checked(new OrNode([.. operands], first.Index));
    }

    private ExpressionNode And()
    {
        var first = Equality();
        if (Peek().Kind != TokenKind.And)
        {
            return first;
        }

        var operands = new List<ExpressionNode> { first };
        while (Match(TokenKind.And))
        {
            operands.Add(Equality());
        }

        return Checked(new AndNode([.. operands], first.Index));
    }

    private ExpressionNode Equality()
    {
        var left = Comparison();
        while (Peek().Kind is TokenKind.EqualEqual or TokenKind.BangEqual)
        {
            var op = Next();
            var right = Comparison();
            var kind = op.Kind == TokenKind.EqualEqual ? ComparisonOperator.Equal : ComparisonOperator.NotEqual;
            left = Checked(new ComparisonNode(kind, left, right, op.Index));
        }

        return left;
    }

    private ExpressionNode Comparison()
    {
        var left = Unary();
        while (Peek().Kind is TokenKind.Greater or TokenKind.GreaterEqual or TokenKind.Less or TokenKind.LessEqual)
        {
            var op = Next();
            var right = Unary();
            var kind = op.Kind switch
            {
                TokenKind.Greater => ComparisonOperator.Greater,
                TokenKind.GreaterEqual => ComparisonOperator.GreaterOrEqual,
                TokenKind.Less => ComparisonOperator.Less,
                _ => ComparisonOperator.LessOrEqual,
            };
            left = Checked(new ComparisonNode(kind, left, right, op.Index));
        }

        return left;
    }

    private ExpressionNode Unary()
    {
        if (Peek().Kind != TokenKind.Bang)
        {
            return Postfix();
        }

        var bang = Next();
        Enter();
        var operand = Unary();
        _depth--;
        return Checked(new NotNode(operand, bang.Index));
    }

    private ExpressionNode Postfix()
    {
        var node = Primary(out var accessible);
        if (!accessible)
        {
            return node;
        }

        while (true)
        {
            if (Match(TokenKind.LeftBracket))
            {
                var bracket = Previous();
                if (Match(TokenKind.Star))
                {
                    Expect(TokenKind.RightBracket);
                    node = new WildcardNode(node, bracket.Index);
                }
                else
                {
                    var key = Expression();
                    Expect(TokenKind.RightBracket);
                    node = key is LiteralNode literal
                        ? new MemberNode(node, literal.Value.CoerceToString(), ExpressionNumbers.ToIndex(literal.Value.CoerceToNumber()), bracket.Index)
                        : new IndexNode(node, key, bracket.Index);
                }
            }
            else if (Match(TokenKind.Dot))
            {
                var dot = Previous();
                if (Match(TokenKind.Identifier))
                {
                    node = new MemberNode(node, Text(Previous()), -1, dot.Index);
                }
                else if (Match(TokenKind.Star))
                {
                    node = new WildcardNode(node, dot.Index);
                }
                else
                {
                    throw Unexpected(Peek());
                }
            }
            else
            {
                return node;
            }

            Checked(node);
        }
    }

    private ExpressionNode Primary(out bool accessible)
    {
        accessible = true;
        var token = Peek();
        switch (token.Kind)
        {
            case TokenKind.Literal:
                Next();
                accessible = false;
                return new LiteralNode(token.Value!, token.Index);

            case TokenKind.Identifier:
                Next();
                if (Match(TokenKind.LeftParen))
                {
                    return FunctionCall(token);
                }

                var name = Text(token);
                if (!IsAllowedContext(name))
                {
                    throw Error($"Unrecognized named-value: '{name}'", token.Index);
                }

                return new NamedValueNode(name, token.Index);

            case TokenKind.LeftParen:
                Next();
                var inner = Expression();
                Expect(TokenKind.RightParen);
                return inner;

            default:
                throw Unexpected(token);
        }
    }

    private ExpressionNode FunctionCall(Token nameToken)
    {
        var arguments = new List<ExpressionNode>();
        if (!Match(TokenKind.RightParen))
        {
            while (true)
            {
                arguments.Add(Expression());
                if (Match(TokenKind.Comma))
                {
                    continue;
                }

                Expect(TokenKind.RightParen);
                break;
            }
        }

        var name = Text(nameToken);
        var spec = BuiltinFunctions.Find(name, _options) ?? throw Error($"Unrecognized function: '{name}'", nameToken.Index);
        if (arguments.Count < spec.MinArguments)
        {
            throw Error($"Too few parameters supplied: '{name}'", nameToken.Index);
        }

        if (arguments.Count > spec.MaxArguments)
        {
            throw Error($"Too many parameters supplied: '{name}'", nameToken.Index);
        }

        if (spec.MaxArguments == int.MaxValue && arguments.Count % 2 == 0)
        {
            // case(): predicate/value pairs and a default.
            throw Error($"Even number of parameters supplied, requires an odd number of parameters: '{name}'", nameToken.Index);
        }

        UsesStatusFunction |= spec.IsStatus;
        return Checked(spec.Create(name, [.. arguments], nameToken.Index));
    }

    private bool IsAllowedContext(string name)
    {
        foreach (var allowed in _options.AllowedContexts)
        {
            if (string.Equals(allowed, name, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private void Enter()
    {
        if (++_depth > _options.MaxDepth)
        {
            throw Error($"Exceeded max expression depth {_options.MaxDepth}", Peek().Index);
        }
    }

    private ExpressionNode Checked(ExpressionNode node)
    {
        if (node.Height > _options.MaxDepth)
        {
            throw Error($"Exceeded max expression depth {_options.MaxDepth}", node.Index);
        }

        return node;
    }

    private Token Peek() => _tokens[_next];

    private Token Previous() => _tokens[_next - 1];

    private Token Next() => _tokens[_next < _tokens.Count - 1 ? _next++ : _next];

    private bool Match(TokenKind kind)
    {
        if (Peek().Kind != kind)
        {
            return false;
        }

        _next++;
        return true;
    }

    private void Expect(TokenKind kind)
    {
        if (!Match(kind))
        {
            throw Unexpected(Peek());
        }
    }

    private string Text(Token token) => _text.Substring(token.Index, token.Length);

    /// <summary>"Unexpected symbol" for a token, "Unexpected end of expression" (at the last token) at the end.</summary>
    private ExpressionException Unexpected(Token token)
    {
        if (token.Kind == TokenKind.End)
        {
            var last = _tokens[^2];
            return Error($"Unexpected end of expression: '{last.Describe(_text)}'", last.Index);
        }

        return Error($"Unexpected symbol: '{token.Describe(_text)}'", token.Index);
    }

    private ExpressionException Error(string reason, int index)
        => new(ExpressionError.At(ExpressionErrorKind.Parsing, reason, index, _text));
}
