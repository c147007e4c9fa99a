using Microsoft.Extensions.Logging;

namespace Shipgate.Server.Flags;

/// <summary>Log messages of feature flags on the server (event ids 5800-5849).</summary>
internal static partial class FlagLog
{
    [LoggerMessage(
        EventId = 5800, Level = LogLevel.Information, Message = "{Project}: applied the flags of shipgate.yml at {Sha} to {Environments} environment(s)")]
    public static partial void FileApplied(ILogger logger, string project, string sha, int environments);

    [LoggerMessage(
        EventId = 5801, Level = LogLevel.Warning, Message = "{Project}: shipgate.yml at {Sha} is not valid, so its flags are not applied: {Error}")]
    public static partial void FileInvalid(ILogger logger, string project, string sha, string error);

    [LoggerMessage(
        EventId = 5802,
        Level = LogLevel.Error,
        Message = "{Project}: applying the flags of shipgate.yml at {Sha} failed; tried again when the head is next seen")]
    public static partial void ApplyFailed(ILogger logger, string project, string sha, Exception exception);
}
