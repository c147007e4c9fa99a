namespace Shipgate.Engine.Artifacts;

/// <summary>What a search found, and the directory the paths are relative to in an artifact.</summary>
internal sealed record FileSearchResult(IReadOnlyList<FoundPath> Paths, string RootDirectory, IReadOnlyList<string> SearchPaths)
{
    /// <summary>What matched but was refused by <see cref="FileSearchOptions.Confinement"/>.</summary>
    public IReadOnlyList<RefusedPath> Refused { get; init; } = [];

    /// <summary>The path of <paramref name="found"/> relative to <see cref="RootDirectory"/>, with forward slashes.</summary>
    public string RelativePath(FoundPath found) => Path.GetRelativePath(RootDirectory, found.FullPath).Replace('\\', '/');
}
