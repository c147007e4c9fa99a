namespace Shipgate.Flags;

/// <summary>The protocol's names for reasons, error codes and types, without allocating.</summary>
public static class FlagNames
{
    /// <summary>The OpenFeature reason: <c>STATIC</c>, <c>TARGETING_MATCH</c>, <c>SPLIT</c>, <c>DISABLED</c>, <c>DEFAULT</c>, <c>ERROR</c>.</summary>
    public static string Reason(FlagReason reason) => reason switch
    {
        FlagReason.Static => "STATIC",
        FlagReason.TargetingMatch => "TARGETING_MATCH",
        FlagReason.Split => "SPLIT",
        FlagReason.Disabled => "DISABLED",
        FlagReason.Default => "DEFAULT",
        _ => "ERROR",
    };

    /// <summary>The OpenFeature error code, e.g. <c>FLAG_NOT_FOUND</c>; null for <see cref="FlagErrorCode.None"/>.</summary>
    public static string? ErrorCode(FlagErrorCode code) => code switch
    {
        FlagErrorCode.None => null,
        FlagErrorCode.FlagNotFound => "FLAG_NOT_FOUND",
        FlagErrorCode.TypeMismatch => "TYPE_MISMATCH",
        FlagErrorCode.TargetingKeyMissing => "TARGETING_KEY_MISSING",
        FlagErrorCode.ParseError => "PARSE_ERROR",
        FlagErrorCode.InvalidContext => "INVALID_CONTEXT",
        _ => "GENERAL",
    };

    /// <summary>The type's name in the flag document: <c>boolean</c>, <c>string</c>, <c>number</c>, <c>object</c>.</summary>
    public static string Type(FlagType type) => type switch
    {
        FlagType.Boolean => "boolean",
        FlagType.String => "string",
        FlagType.Number => "number",
        _ => "object",
    };
}
