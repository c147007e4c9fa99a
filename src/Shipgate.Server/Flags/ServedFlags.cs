using Shipgate.Flags;

namespace Shipgate.Server.Flags;

/// <summary>
/// An environment's flags as served: the compiled configuration OFREP evaluates with, the document's UTF-8 bytes the
/// document endpoint sends, its strong ETag (a hash of the bytes), its revision, and which flags answer by chance
/// without a targeting key.
/// </summary>
internal sealed record ServedFlags(
    FlagConfiguration Configuration,
    byte[] Document,
    string ETag,
    long Revision,
    IReadOnlySet<string> NeedTargetingKey,
    DateTimeOffset CheckedAt);
