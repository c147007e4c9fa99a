namespace Shipgate.Delivery.Configuration;

/// <summary>
/// <c>unknown-authors</c>: what an approval does when a commit of the release was written or committed by someone
/// who maps to no Shipgate user, so that self-review cannot be checked for that commit.
/// </summary>
public enum UnknownAuthorsAction
{
    /// <summary>The commit is let through; only known people are excluded from approving.</summary>
    Allow,

    /// <summary>The approval cannot be granted: the gate fails and names the commit (the default under prevent-self-review).</summary>
    Block,
}
