namespace Shipgate.Engine.Artifacts;

/// <summary>How a <see cref="FileSearch"/> walks the file system.</summary>
internal sealed record FileSearchOptions
{
    /// <summary>Follow symbolic links (upload-artifact does); when false they are found as links (actions/cache keeps them).</summary>
    public bool FollowSymbolicLinks { get; init; } = true;

    /// <summary>Include files and directories whose name starts with a dot below a search path (upload-artifact's include-hidden-files).</summary>
    public bool IncludeHiddenFiles { get; init; }

    /// <summary>Also report directories (so an archive can keep empty ones).</summary>
    public bool IncludeDirectories { get; init; }

    /// <summary>When set, paths it refuses are reported in <see cref="FileSearchResult.Refused"/> and not walked into.</summary>
    public PathConfinement? Confinement { get; init; }
}
