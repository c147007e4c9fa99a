namespace Shipgate.Engine.Actions.Builtin;

/// <summary>Which of the cache actions: <c>actions/cache</c>, <c>actions/cache/restore</c> or <c>actions/cache/save</c>.</summary>
internal enum CacheActionKind
{
    RestoreAndSave,
    Restore,
    Save,
}
