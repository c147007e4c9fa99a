namespace Shipgate.Core.Expressions;

/// <summary>The named values and host services an expression is evaluated with.</summary>
public sealed class EvaluationContext
{
    /// <summary>
    /// Named values (github, env, matrix...), looked up ignoring case. Give a dictionary built with
    /// <see cref="StringComparer.OrdinalIgnoreCase"/>: the lookup is then one hash probe without allocating.
    /// A name the dictionary does not hold evaluates to null.
    /// </summary>
    public required IReadOnlyDictionary<string, ExpressionValue> Contexts { get; init; }

    /// <summary>The status seen by success()/failure()/cancelled(); for a job's <c>if:</c>, the worst of its needs.</summary>
    public JobStatus Status { get; init; } = JobStatus.Success;

    /// <summary>
    /// Computes hashFiles(patterns...); null makes hashFiles an evaluation error. An exception other than
    /// <see cref="ExpressionException"/> thrown here becomes an evaluation error that carries its message.
    /// </summary>
    public Func<IReadOnlyList<string>, string>? HashFiles { get; init; }

    /// <summary>
    /// Upper bound on the memory, in bytes (two per character), of the strings and arrays one evaluation builds
    /// (format, join, toJSON, fromJSON, filters, interpolation). Past it the evaluation fails. Default 10 MiB.
    /// </summary>
    public long MaxResultBytes { get; init; } = 10 * 1024 * 1024;

    internal ExpressionValue GetNamedValue(string name)
    {
        var contexts = Contexts;
        if (contexts.TryGetValue(name, out var value))
        {
            return value;
        }

        if (contexts is Dictionary<string, ExpressionValue> dictionary && ReferenceEquals(dictionary.Comparer, StringComparer.OrdinalIgnoreCase))
        {
            return ExpressionValue.Null;
        }

        // A case-sensitive dictionary: find the name ignoring case (slower, and it allocates an enumerator).
        foreach (var pair in contexts)
        {
            if (string.Equals(pair.Key, name, StringComparison.OrdinalIgnoreCase))
            {
                return pair.Value;
            }
        }

        return ExpressionValue.Null;
    }
}
