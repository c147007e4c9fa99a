namespace Shipgate.Flags;

/// <summary>The context attributes a constraint or a stickiness can name; anything else is a custom property.</summary>
internal enum ContextField
{
    Property,
    UserId,
    SessionId,
    RemoteAddress,
    Environment,
    AppName,
    CurrentTime,
}
