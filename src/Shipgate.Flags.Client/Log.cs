using Microsoft.Extensions.Logging;

namespace Shipgate.Flags.Client;

/// <summary>The flag client's log messages: event ids 6000 to 6099 (the flags' range is 6000).</summary>
internal static partial class Log
{
    [LoggerMessage(6000, LogLevel.Information, "Flags: loaded the document {ETag} from {Url} ({Count} flags).")]
    public static partial void Loaded(ILogger logger, string etag, Uri url, int count);

    [LoggerMessage(6001, LogLevel.Warning, "Flags: fetching {Url} failed ({Error}); evaluating with the last good document.")]
    public static partial void FetchFailed(ILogger logger, Uri url, string error);

    [LoggerMessage(6002, LogLevel.Error, "Flags: the document from {Url} was rejected; keeping the last good one. {Errors}")]
    public static partial void Rejected(ILogger logger, Uri url, string errors);
}
