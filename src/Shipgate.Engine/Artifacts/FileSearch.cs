namespace Shipgate.Engine.Artifacts;

/// <summary>
/// Finds the files a multi-line <c>path:</c> input names, with @actions/glob's rules: lines in order, a later
/// line overrides an earlier one, <c>!</c> excludes. The root directory is computed as upload-artifact does:
/// the least common ancestor of the search paths, or a single file's own directory.
/// </summary>
internal static class FileSearch
{
    public static FileSearchResult Find(IReadOnlyList<PathPattern> patterns, FileSearchOptions options)
    {
        var searchPaths = SearchPaths(patterns);
        var found = new List<FoundPath>();
        var refused = new List<RefusedPath>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var searchPath in searchPaths)
        {
            var real = options.Confinement is null ? searchPath
                : options.FollowSymbolicLinks ? PathConfinement.RealPath(searchPath)
                : Path.Join(PathConfinement.RealPath(Path.GetDirectoryName(searchPath) ?? "/"), Path.GetFileName(searchPath));
            Visit(searchPath, real, isSearchRoot: true, patterns, options, found, refused, seen, new HashSet<string>(StringComparer.Ordinal));
        }

        var files = found.Where(f => f.Kind != FoundPathKind.Directory).ToList();
        string root;
        if (searchPaths.Count > 1)
        {
            root = LeastCommonAncestor(searchPaths);
        }
        else if (searchPaths.Count == 0)
        {
            root = "/";
        }
        else if (files.Count == 1 && files[0].FullPath == searchPaths[0])
        {
            // A single file named without a wildcard is uploaded without its directories.
            root = Path.GetDirectoryName(searchPaths[0]) ?? "/";
        }
        else
        {
            root = searchPaths[0];
        }

        return new FileSearchResult(found, root, searchPaths) { Refused = refused };
    }

    /// <summary>The include patterns' search paths, without those inside another one.</summary>
    public static IReadOnlyList<string> SearchPaths(IReadOnlyList<PathPattern> patterns)
    {
        var result = new List<string>();
        foreach (var path in patterns.Where(p => !p.IsExclude).Select(p => p.SearchPath).Distinct(StringComparer.Ordinal).OrderBy(p => p.Length))
        {
            if (!result.Any(r => IsSameOrUnder(path, r)))
            {
                result.Add(path);
            }
        }

        // Keep the order the lines were written in, as the root of a single search path depends on it.
        return patterns.Where(p => !p.IsExclude).Select(p => p.SearchPath).Distinct(StringComparer.Ordinal).Where(result.Contains).ToList();
    }

    /// <summary>The deepest directory that holds every one of <paramref name="paths"/>.</summary>
    public static string LeastCommonAncestor(IReadOnlyList<string> paths)
    {
        var common = paths[0].Split('/');
        var length = common.Length;
        foreach (var path in paths.Skip(1))
        {
            var parts = path.Split('/');
            var i = 0;
            while (i < length && i < parts.Length && parts[i] == common[i])
            {
                i++;
            }

            length = i;
        }

        var joined = string.Join('/', common.Take(length));
        return joined.Length == 0 ? "/" : joined;
    }

    // realPath: the path with the links resolved that the search follows, for FileSearchOptions.Confinement.
    private static void Visit(
        string path,
        string realPath,
        bool isSearchRoot,
        IReadOnlyList<PathPattern> patterns,
        FileSearchOptions options,
        List<FoundPath> found,
        List<RefusedPath> refused,
        HashSet<string> seen,
        HashSet<string> ancestors)
    {
        FileSystemInfo info = Directory.Exists(path) ? new DirectoryInfo(path) : new FileInfo(path);
        if (!info.Exists && info.LinkTarget is null)
        {
            return;
        }

        if (!isSearchRoot && !options.IncludeHiddenFiles && info.Name.StartsWith('.'))
        {
            return;
        }

        var decision = Decide(path, patterns);
        if (options.Confinement?.Refusal(path, realPath) is { } reason)
        {
            // A refused directory is not walked into (a link to / would walk the whole disk), and named once.
            if (decision == true || info is DirectoryInfo && decision != false)
            {
                refused.Add(new RefusedPath(path, reason));
            }

            return;
        }

        if (info.LinkTarget is not null && !options.FollowSymbolicLinks)
        {
            if (decision == true && seen.Add(path))
            {
                found.Add(new FoundPath(path, FoundPathKind.SymbolicLink));
            }

            return;
        }

        if (info is not DirectoryInfo directory)
        {
            // A dangling link has nothing to upload; @actions/glob omits it too.
            if (decision == true && File.Exists(path) && seen.Add(path))
            {
                found.Add(new FoundPath(path, FoundPathKind.File));
            }

            return;
        }

        var real = directory.LinkTarget is null ? path : directory.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? path;
        if (!ancestors.Add(real))
        {
            // A link back to a directory above: following it would never end.
            return;
        }

        if (decision == true && options.IncludeDirectories && seen.Add(path))
        {
            found.Add(new FoundPath(path, FoundPathKind.Directory));
        }

        if (!CanPrune(path, patterns))
        {
            IEnumerable<string> entries;
            try
            {
                entries = Directory.EnumerateFileSystemEntries(path).Order(StringComparer.Ordinal).ToList();
            }
            catch (UnauthorizedAccessException)
            {
                entries = [];
            }

            foreach (var entry in entries)
            {
                var entryReal = options.Confinement is not null && options.FollowSymbolicLinks && new FileInfo(entry).LinkTarget is not null
                    ? PathConfinement.RealPath(entry)
                    : Path.Join(realPath, Path.GetFileName(entry));
                Visit(entry, entryReal, isSearchRoot: false, patterns, options, found, refused, seen, ancestors);
            }
        }

        ancestors.Remove(real);
    }

    /// <summary>True when the last line that matches says include, false for exclude, null when none does.</summary>
    private static bool? Decide(string path, IReadOnlyList<PathPattern> patterns)
    {
        for (var i = patterns.Count - 1; i >= 0; i--)
        {
            if (patterns[i].Matches(path))
            {
                return !patterns[i].IsExclude;
            }
        }

        return null;
    }

    /// <summary>
    /// A directory excluded by a line that no later include line follows cannot contribute anything
    /// (exclusions reach every descendant), so the search skips it, e.g. <c>!**/node_modules</c>.
    /// </summary>
    private static bool CanPrune(string path, IReadOnlyList<PathPattern> patterns)
    {
        for (var i = patterns.Count - 1; i >= 0; i--)
        {
            if (!patterns[i].IsExclude)
            {
                return false;
            }

            if (patterns[i].Matches(path))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsSameOrUnder(string path, string directory) =>
        path == directory || directory == "/" || path.StartsWith(directory + "/", StringComparison.Ordinal);
}
