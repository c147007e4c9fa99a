namespace Shipgate.Flags;

internal static class ContextFields
{
    /// <summary>The well-known attribute a context name means; <c>targetingKey</c> is Unleash's <c>userId</c>.</summary>
    public static ContextField Parse(string name) => name switch
    {
        "userId" or "targetingKey" => ContextField.UserId,
        "sessionId" => ContextField.SessionId,
        "remoteAddress" => ContextField.RemoteAddress,
        "environment" => ContextField.Environment,
        "appName" => ContextField.AppName,
        "currentTime" => ContextField.CurrentTime,
        _ => ContextField.Property,
    };
}
