namespace Shipgate.Core.Expressions.Syntax;

internal enum TokenKind
{
    LeftParen,
    RightParen,
    LeftBracket,
    RightBracket,
    Comma,
    Dot,
    Bang,
    BangEqual,
    EqualEqual,
    Greater,
    GreaterEqual,
    Less,
    LessEqual,
    And,
    Or,
    Star,
    Literal,
    Identifier,
    End,
}
