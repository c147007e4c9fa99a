namespace Shipgate.Engine.Actions;

/// <summary>
/// A parsed <c>uses:</c> value: <c>owner/repo@ref</c>, <c>owner/repo/path@ref</c> or a local <c>./path</c>.
/// </summary>
public sealed record ActionReference(string? Owner, string? Repository, string? Path, string? Ref, string? LocalPath)
{
    public bool IsLocal => LocalPath is not null;

    /// <summary>
    /// <c>owner/repo</c>, or <c>owner/repo/path</c> for an action in a folder of its repository
    /// (<c>actions/cache/restore</c>), in lower case: the key built-in actions are registered under.
    /// </summary>
    public string? Key => Owner is null ? null : (Path is null ? $"{Owner}/{Repository}" : $"{Owner}/{Repository}/{Path.TrimEnd('/')}").ToLowerInvariant();

    /// <summary><c>owner/repo</c> without the path (GITHUB_ACTION_REPOSITORY).</summary>
    public string? RepositoryKey => Owner is null ? null : $"{Owner}/{Repository}";

    public static ActionReference? TryParse(string uses)
    {
        if (uses.StartsWith("./", StringComparison.Ordinal) || uses == ".")
        {
            return new ActionReference(null, null, null, null, uses);
        }

        var at = uses.IndexOf('@', StringComparison.Ordinal);
        if (at <= 0 || at == uses.Length - 1)
        {
            return null;
        }

        var parts = uses[..at].Split('/', 3);
        if (parts.Length < 2 || parts[0].Length == 0 || parts[1].Length == 0)
        {
            return null;
        }

        return new ActionReference(parts[0], parts[1], parts.Length == 3 ? parts[2] : null, uses[(at + 1)..], null);
    }
}
