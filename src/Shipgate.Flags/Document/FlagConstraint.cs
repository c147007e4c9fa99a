namespace Shipgate.Flags.Document;

/// <summary>
/// A condition on one context attribute, with Unleash's operator names and semantics: <c>IN</c>, <c>NOT_IN</c>,
/// <c>STR_CONTAINS</c>, <c>STR_STARTS_WITH</c>, <c>STR_ENDS_WITH</c> (with <see cref="Values"/>), and <c>NUM_EQ</c>,
/// <c>NUM_GT</c>, <c>NUM_GTE</c>, <c>NUM_LT</c>, <c>NUM_LTE</c>, <c>SEMVER_EQ</c>, <c>SEMVER_GT</c>, <c>SEMVER_LT</c>,
/// <c>SEMVER_GTE</c>, <c>SEMVER_LTE</c>,
/// <c>DATE_AFTER</c>, <c>DATE_BEFORE</c>, <c>REGEX</c> (with <see cref="Value"/>).
/// </summary>
public sealed class FlagConstraint
{
    /// <summary>The attribute: <c>userId</c> (the targeting key), <c>sessionId</c>, <c>remoteAddress</c>,
    /// <c>environment</c>, <c>appName</c>, <c>currentTime</c>, or a custom property.</summary>
    public string? ContextName { get; set; }

    /// <summary>The operator's Unleash name.</summary>
    public string? Operator { get; set; }

    /// <summary>The values of the list operators (IN, NOT_IN and the string operators).</summary>
    public List<string>? Values { get; set; }

    /// <summary>The value of the single-value operators (numbers, semver, dates, regex).</summary>
    public string? Value { get; set; }

    /// <summary>Negates the outcome (false by default).</summary>
    public bool Inverted { get; set; }

    /// <summary>String operators and REGEX ignore case (false by default).</summary>
    public bool CaseInsensitive { get; set; }
}
