namespace Shipgate.Server.Git;

/// <summary>
/// What the server accepts where a ref or a commit is named from outside (a dispatch, a webhook): a full ref or
/// branch or tag name by git's <c>check-ref-format</c> rules, or a full commit SHA; never revision syntax
/// (<c>main~2</c>, <c>HEAD^</c>, <c>@{-1}</c>, <c>main..x</c>, <c>:/message</c>), which git would resolve.
/// </summary>
internal static class GitRefName
{
    /// <summary>The longest ref name accepted (GitHub's limit for a branch name).</summary>
    public const int MaxLength = 255;

    /// <summary>True for a full SHA-1 (40) or SHA-256 (64) commit id in hexadecimal.</summary>
    public static bool IsFullSha(string value) => value.Length is 40 or 64 && value.All(char.IsAsciiHexDigit);

    /// <summary>True when <paramref name="name"/> is a valid ref name (git's check-ref-format rules), at most <see cref="MaxLength"/> characters.</summary>
    public static bool IsValid(string name) =>
        name.Length is > 0 and <= MaxLength
        && name != "@"
        && !name.StartsWith('-')
        && !name.EndsWith('.')
        && !name.Contains("..", StringComparison.Ordinal)
        && !name.Contains("@{", StringComparison.Ordinal)
        && name.Split('/').All(part => part.Length > 0 && !part.StartsWith('.') && !part.EndsWith(".lock", StringComparison.Ordinal))
        && !name.Any(c => char.IsControl(c) || c is ' ' or '~' or '^' or ':' or '?' or '*' or '[' or '\\');
}
