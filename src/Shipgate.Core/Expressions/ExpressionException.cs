namespace Shipgate.Core.Expressions;

/// <summary>Thrown by evaluation when the user's expression cannot be evaluated (e.g. fromJSON of bad JSON).</summary>
public sealed class ExpressionException(ExpressionError error) : Exception(error.Message)
{
    public ExpressionError Error { get; } = error;
}
