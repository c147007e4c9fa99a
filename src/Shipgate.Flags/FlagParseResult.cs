namespace Shipgate.Flags;

/// <summary>A parsed configuration, or every problem found in the document, one sentence each starting with its JSON path.</summary>
public sealed class FlagParseResult
{
    internal FlagParseResult(FlagConfiguration? configuration, IReadOnlyList<string> errors)
    {
        Configuration = configuration;
        Errors = errors;
    }

    /// <summary>The compiled configuration; null when <see cref="Errors"/> is not empty.</summary>
    public FlagConfiguration? Configuration { get; }

    /// <summary>The problems, e.g. <c>$.flags[0].rules[1].rollout.percentage: the percentage is 120; it must be between 0 and 100.</c></summary>
    public IReadOnlyList<string> Errors { get; }
}
