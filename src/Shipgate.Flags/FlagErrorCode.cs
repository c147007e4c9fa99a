namespace Shipgate.Flags;

/// <summary>Why an evaluation failed, as OpenFeature and its remote evaluation protocol name the codes.</summary>
public enum FlagErrorCode
{
    None,

    /// <summary>No flag has the key.</summary>
    FlagNotFound,

    /// <summary>The flag's type is not the type asked for.</summary>
    TypeMismatch,

    /// <summary>A targeting key is needed and none was given (for the wrappers; the evaluator falls back as Unleash does).</summary>
    TargetingKeyMissing,

    /// <summary>The configuration could not be parsed (for the wrappers, which hold no configuration then).</summary>
    ParseError,

    /// <summary>The context is malformed (for the wrappers that read it from JSON).</summary>
    InvalidContext,

    /// <summary>Anything else.</summary>
    General,
}
