using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Shipgate.Server.Auth;

/// <summary>Log messages of authentication and users (event ids 5100-5199).</summary>
internal static partial class AuthLog
{
    [LoggerMessage(EventId = 5100, Level = LogLevel.Warning, Message = "A request to {Path} presented an unknown or revoked API token")]
    public static partial void TokenRefused(ILogger logger, PathString path);

    [LoggerMessage(EventId = 5101, Level = LogLevel.Information, Message = "Created the admin user '{User}'; its token is in {Path}")]
    public static partial void AdminCreated(ILogger logger, string user, string path);

    [LoggerMessage(EventId = 5102, Level = LogLevel.Information, Message = "User '{User}' ({Role}) was created by {Actor}")]
    public static partial void UserCreated(ILogger logger, string user, string role, string actor);

    [LoggerMessage(EventId = 5103, Level = LogLevel.Information, Message = "Token {TokenId} of '{User}' was created by {Actor}")]
    public static partial void TokenCreated(ILogger logger, long tokenId, string user, string actor);

    [LoggerMessage(EventId = 5104, Level = LogLevel.Information, Message = "Token {TokenId} was revoked by {Actor}")]
    public static partial void TokenRevoked(ILogger logger, long tokenId, string actor);
}
