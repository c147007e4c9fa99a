namespace Shipgate.Flags;

/// <summary>
/// The outcome of one evaluation: the value, the variant that gave it, the reason and, when the reason is
/// <see cref="FlagReason.Error"/>, the error code and a sentence (the value is then the caller's default).
/// </summary>
public readonly record struct FlagEvaluation<T>(
    T Value,
    string? Variant,
    FlagReason Reason,
    FlagErrorCode ErrorCode = FlagErrorCode.None,
    string? ErrorMessage = null);
