namespace Shipgate.Core.Expressions;

/// <summary>
/// What one evaluation carries from node to node, passed by reference so that evaluating allocates nothing:
/// the context, the expression text (for error messages) and the memory the evaluation has built so far.
/// </summary>
internal struct EvaluationState(EvaluationContext context, string expression)
{
    private long _bytes;

    public readonly EvaluationContext Context => context;

    public readonly string Expression => expression;

    /// <summary>The characters the evaluation may still build before it passes <see cref="EvaluationContext.MaxResultBytes"/>.</summary>
    public readonly long RemainingChars => Math.Max(0, (context.MaxResultBytes - _bytes) / 2);

    /// <summary>Counts <paramref name="bytes"/> of built results; fails the evaluation past the limit.</summary>
    public void Charge(long bytes, int index)
    {
        _bytes += bytes;
        if (_bytes > context.MaxResultBytes)
        {
            throw MemoryExceeded(index);
        }
    }

    /// <summary>Counts a built string.</summary>
    public void ChargeString(string value, int index) => Charge(2L * value.Length, index);

    public readonly ExpressionException MemoryExceeded(int index)
        => Fail($"The maximum allowed memory size ({context.MaxResultBytes} bytes) was exceeded", index);

    /// <summary>An evaluation error at 0-based <paramref name="index"/> of the expression.</summary>
    public readonly ExpressionException Fail(string reason, int index)
        => new(ExpressionError.At(ExpressionErrorKind.Evaluation, reason, index, expression));
}
