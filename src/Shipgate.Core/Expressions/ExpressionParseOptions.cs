namespace Shipgate.Core.Expressions;

/// <summary>What an expression may name where it is written.</summary>
public sealed class ExpressionParseOptions
{
    /// <summary>Named values (contexts) allowed, compared ignoring case. Any other name is a parsing error.</summary>
    public required IReadOnlyCollection<string> AllowedContexts { get; init; }

    /// <summary>Allow success(), failure(), cancelled() and always() (only in <c>if:</c> of jobs and steps).</summary>
    public bool AllowStatusFunctions { get; init; }

    /// <summary>Allow hashFiles() (only in step-level keys).</summary>
    public bool AllowHashFiles { get; init; } = true;

    /// <summary>Maximum nesting depth of the parse tree. Default 50 (GitHub's limit).</summary>
    public int MaxDepth { get; init; } = 50;

    /// <summary>Maximum length of one expression in characters. Default 21,000 (GitHub's limit).</summary>
    public int MaxLength { get; init; } = 21_000;
}
