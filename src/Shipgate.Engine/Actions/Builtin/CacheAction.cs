using Shipgate.Engine.Artifacts;
using Shipgate.Engine.Caching;

namespace Shipgate.Engine.Actions.Builtin;

/// <summary>
/// <c>actions/cache</c> (restore now, save in a post step when the job succeeded and the key did not hit
/// exactly), <c>actions/cache/restore</c> and <c>actions/cache/save</c>, over the local <see cref="CacheStore"/>.
/// </summary>
internal sealed class CacheAction(CacheActionKind kind, TimeProvider timeProvider) : IBuiltinAction
{
    private const string PrimaryKeyState = "CACHE_KEY";
    private const string MatchedKeyState = "CACHE_RESULT";
    private const string PathsState = "CACHE_PATHS";
    private const int MaxKeyLength = 512;

    public string Key => kind switch
    {
        CacheActionKind.Restore => "actions/cache/restore",
        CacheActionKind.Save => "actions/cache/save",
        _ => "actions/cache",
    };

    public string PostIf => "success()";

    public bool HasPost(IActionContext context) => kind == CacheActionKind.RestoreAndSave;

    public async Task<ActionResult> RunAsync(IActionContext context, CancellationToken cancellationToken = default)
    {
        var key = context.GetInput("key").Trim();
        var paths = context.GetLines("path");
        if (key.Length == 0 || paths.Count == 0)
        {
            return ActionResult.Failure($"Input required and not supplied: {(key.Length == 0 ? "key" : "path")}");
        }

        var restoreKeys = context.GetLines("restore-keys");
        if (restoreKeys.Prepend(key).Select(ValidateKey).OfType<string>().FirstOrDefault() is { } invalid)
        {
            return ActionResult.Failure(invalid);
        }

        if (kind == CacheActionKind.Save)
        {
            return await SaveAsync(context, key, paths, cancellationToken).ConfigureAwait(false);
        }

        if (context.GetBoolean("save-always", false) == true)
        {
            context.Warning("save-always is not supported (it is deprecated); the cache is saved when the job succeeds.");
        }

        var store = CacheStore.ForDataDirectory(context.DataDirectory, timeProvider);
        var entry = store.Find(key, restoreKeys, CacheStore.VersionOf(paths));
        context.SaveState(PrimaryKeyState, key);
        context.SaveState(PathsState, string.Join('\n', paths));
        context.SetOutput("cache-primary-key", key);
        if (entry is null)
        {
            context.SetOutput("cache-hit", "false");
            if (context.GetBoolean("fail-on-cache-miss", false) == true)
            {
                return ActionResult.Failure($"Failed to restore cache entry. Exiting as fail-on-cache-miss is set. Input key: {key}");
            }

            context.Log($"Cache not found for input keys: {string.Join(", ", restoreKeys.Prepend(key))}");
            return ActionResult.Success;
        }

        context.SaveState(MatchedKeyState, entry.Key);
        context.SetOutput("cache-matched-key", entry.Key);
        context.SetOutput("cache-hit", entry.Key == key ? "true" : "false");
        if (context.GetBoolean("lookup-only", false) == true)
        {
            context.Log($"Cache found and can be restored from key: {entry.Key}");
            return ActionResult.Success;
        }

        int count;
        try
        {
            count = await store.RestoreAsync(entry, context.Workspace, PathConfinement.ForJob(context), cancellationToken).ConfigureAwait(false);
        }
        catch (UnauthorizedAccessException ex)
        {
            return ActionResult.Failure($"Cache {entry.Key} was not restored: {ex.Message}");
        }

        context.Log($"Cache restored from key: {entry.Key} ({count} entries, {entry.Size} bytes)");
        return ActionResult.Success;
    }

    public async Task<ActionResult> PostAsync(IActionContext context, CancellationToken cancellationToken = default)
    {
        var key = context.GetState(PrimaryKeyState);
        if (key.Length == 0)
        {
            return ActionResult.Success;
        }

        if (context.GetState(MatchedKeyState) == key)
        {
            context.Log($"Cache hit occurred on the primary key {key}, not saving cache.");
            return ActionResult.Success;
        }

        var paths = context.GetState(PathsState).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return await SaveAsync(context, key, paths, cancellationToken).ConfigureAwait(false);
    }

    private async Task<ActionResult> SaveAsync(IActionContext context, string key, IReadOnlyList<string> paths, CancellationToken cancellationToken)
    {
        var patterns = paths.Select(l => PathPattern.Parse(l, context.ResolvePath)).OfType<PathPattern>().ToArray();
        var found = FileSearch.Find(
            patterns,
            new FileSearchOptions { FollowSymbolicLinks = false, IncludeHiddenFiles = true, IncludeDirectories = true, Confinement = PathConfinement.ForJob(context) });
        foreach (var refused in found.Refused)
        {
            context.Warning($"{refused.FullPath} is not cached: {refused.Reason}.");
        }

        var store = CacheStore.ForDataDirectory(context.DataDirectory, timeProvider);
        var outcome = await store.SaveAsync(key, CacheStore.VersionOf(paths), context.Workspace, found.Paths, cancellationToken).ConfigureAwait(false);
        switch (outcome)
        {
            case CacheSaveOutcome.NothingToSave:
                context.Warning("Path Validation Error: Path(s) specified in the action for caching do(es) not exist, hence no cache is being saved.");
                break;
            case CacheSaveOutcome.AlreadyExists:
                context.Warning($"Failed to save: Unable to reserve cache with key {key}, another job may be creating this cache.");
                break;
            default:
                context.Log($"Cache saved with key: {key}");
                break;
        }

        return ActionResult.Success;
    }

    private static string? ValidateKey(string key)
    {
        if (key.Length > MaxKeyLength)
        {
            return $"Key Validation Error: {key} cannot be larger than {MaxKeyLength} characters.";
        }

        return key.Contains(',', StringComparison.Ordinal) ? $"Key Validation Error: {key} cannot contain commas." : null;
    }
}
