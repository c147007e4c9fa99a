namespace Shipgate.Delivery.Configuration;

/// <summary>One entry of <c>approval.reviewers</c>: a user name, or <c>team:NAME</c>.</summary>
public readonly record struct ReviewerReference(string Name, bool IsTeam)
{
    /// <summary>The prefix that makes a reviewer entry a team.</summary>
    public const string TeamPrefix = "team:";

    /// <summary>Reads <c>alice</c> as a user and <c>team:release-managers</c> as a team.</summary>
    public static ReviewerReference Parse(string text) =>
        text.StartsWith(TeamPrefix, StringComparison.Ordinal)
            ? new ReviewerReference(text[TeamPrefix.Length..], IsTeam: true)
            : new ReviewerReference(text, IsTeam: false);

    /// <summary>As written in the file.</summary>
    public override string ToString() => IsTeam ? TeamPrefix + Name : Name;
}
