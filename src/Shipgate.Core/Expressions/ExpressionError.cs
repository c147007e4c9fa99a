namespace Shipgate.Core.Expressions;

/// <summary>
/// A failed expression. <see cref="Message"/> is the full text GitHub prints:
/// "&lt;reason&gt;. Located at position N within expression: &lt;expression&gt;" (N is 1-based).
/// </summary>
public sealed record ExpressionError(ExpressionErrorKind Kind, string Message, int Position);
