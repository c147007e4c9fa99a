namespace Shipgate.Engine.Caching;

/// <summary>How saving a cache ended.</summary>
internal enum CacheSaveOutcome
{
    Saved,

    /// <summary>An entry with this key and version exists already: caches are immutable, like GitHub's.</summary>
    AlreadyExists,

    /// <summary>None of the paths exist.</summary>
    NothingToSave,
}
