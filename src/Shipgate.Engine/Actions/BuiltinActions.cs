using Shipgate.Engine.Actions.Builtin;

namespace Shipgate.Engine.Actions;

/// <summary>
/// The actions Shipgate implements itself, keyed by <see cref="IBuiltinAction.Key"/> (= <see cref="ActionReference.Key"/>):
/// checkout, artifacts, cache, setup-* and manual approval. The engine's registry starts from this and later
/// layers add theirs (shipgate/deploy...).
/// </summary>
public static class BuiltinActions
{
    private static readonly Lazy<HttpClient> SharedHttpClient = new(() => new HttpClient(new SocketsHttpHandler
    {
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
    })
    {
        Timeout = TimeSpan.FromMinutes(10),
    });

    /// <summary>
    /// A new dictionary of the built-in actions (the caller may add to it). <paramref name="httpClient"/> is what
    /// setup-node downloads Node.js with (default: a shared client); <paramref name="timeProvider"/> dates artifacts and caches.
    /// </summary>
    public static Dictionary<string, IBuiltinAction> CreateDefault(TimeProvider? timeProvider = null, HttpClient? httpClient = null)
    {
        timeProvider ??= TimeProvider.System;
        IBuiltinAction[] actions =
        [
            new CheckoutAction(),
            new UploadArtifactAction(timeProvider),
            new DownloadArtifactAction(timeProvider),
            new CacheAction(CacheActionKind.RestoreAndSave, timeProvider),
            new CacheAction(CacheActionKind.Restore, timeProvider),
            new CacheAction(CacheActionKind.Save, timeProvider),
            new SetupNodeAction(httpClient ?? SharedHttpClient.Value),
            new SetupPythonAction(),
            new SetupDotnetAction(),
            new SetupGoAction(),
            new SetupJavaAction(),
            new ManualApprovalAction(),
        ];
        return actions.ToDictionary(a => a.Key, StringComparer.Ordinal);
    }

    /// <summary>The built-in action for <paramref name="reference"/> (any version), or null when there is none.</summary>
    public static IBuiltinAction? Find(IReadOnlyDictionary<string, IBuiltinAction> actions, ActionReference reference) =>
        reference.Key is { } key && actions.TryGetValue(key, out var action) ? action : null;
}
