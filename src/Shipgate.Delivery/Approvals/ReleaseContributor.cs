namespace Shipgate.Delivery.Approvals;

/// <summary>
/// A Shipgate user who took part in a commit of the release (wrote it, committed it, pushed it), for self-review:
/// <paramref name="Part"/> reads "wrote", "committed" or "pushed"; <paramref name="Sha"/> is the commit.
/// </summary>
public sealed record ReleaseContributor(string User, string Part, string Sha)
{
    /// <summary>The commit as people name it: its first seven characters.</summary>
    public string ShortSha => Sha[..Math.Min(7, Sha.Length)];
}
