namespace Shipgate.Core.Expressions;

/// <summary>Where an expression failed, as GitHub names it in its test vectors.</summary>
public enum ExpressionErrorKind
{
    Lexing,
    Parsing,
    Evaluation,
}
