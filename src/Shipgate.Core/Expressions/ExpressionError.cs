namespace Shipgate.Core.Expressions;

/// <summary>
/// A failed expression. <see cref="Message"/> is the full text GitHub prints:
/// "&lt;reason&gt;. Located at position N within expression: &lt;expression&gt;" (N is 1-based, within that expression).
/// <see cref="Position"/> is 1-based within the text that was parsed: the expression itself for
/// <see cref="ExpressionParser"/>, the whole template for <see cref="ExpressionTemplate"/> (so that a caller can
/// turn it into a line and column of the file), where the message's N counts within the <c>${{ }}</c>.
/// </summary>
public sealed record ExpressionError(ExpressionErrorKind Kind, string Message, int Position)
{
    /// <summary>Builds the error with GitHub's message for <paramref name="reason"/> at 0-based <paramref name="index"/> of <paramref name="expression"/>.</summary>
    internal static ExpressionError At(ExpressionErrorKind kind, string reason, int index, string expression)
        => new(kind, $"{reason}. Located at position {index + 1} within expression: {expression}", index + 1);
}
