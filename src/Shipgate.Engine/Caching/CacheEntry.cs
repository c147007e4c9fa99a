namespace Shipgate.Engine.Caching;

/// <summary>A saved cache: its key, the version of its paths, when it was saved and its archive.</summary>
internal sealed record CacheEntry(string Key, string Version, DateTimeOffset CreatedAt, long Size, string ArchivePath);
