using System.Collections.Frozen;
using System.Text.Json;
using Shipgate.Flags.Compiled;
using Shipgate.Flags.Document;

namespace Shipgate.Flags;

/// <summary>
/// An environment's flags, checked and compiled for evaluation. Immutable and safe to share between threads; a client
/// that receives a new document parses it and swaps the instance. Evaluating allocates nothing.
/// </summary>
public sealed class FlagConfiguration
{
    private readonly FrozenDictionary<string, CompiledFlag> _flags;
    private readonly TimeProvider _time;

    private FlagConfiguration(Dictionary<string, CompiledFlag> flags, TimeProvider time)
    {
        _flags = flags.ToFrozenDictionary(StringComparer.Ordinal);
        _time = time;
    }

    /// <summary>The flags' keys.</summary>
    public IReadOnlyCollection<string> Keys => _flags.Keys;

    /// <summary>Parses and compiles a flag document (<c>{"version":1,"flags":[...]}</c>).</summary>
    /// <param name="json">The document.</param>
    /// <param name="timeProvider">The clock DATE_BEFORE and DATE_AFTER use when a context has no current time; the system clock by default.</param>
    public static FlagParseResult Parse(string json, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(json);
        FlagDocument? document;
        try
        {
            document = JsonSerializer.Deserialize(json, FlagJsonContext.Default.FlagDocument);
        }
        catch (JsonException ex)
        {
            return new FlagParseResult(null, [DescribeJsonError(ex)]);
        }

        return document is null
            ? new FlagParseResult(null, ["$: the document is null; it must be an object like {\"version\":1,\"flags\":[]}."])
            : Compile(document, timeProvider);
    }

    /// <summary>Checks and compiles a document built in code.</summary>
    public static FlagParseResult Compile(FlagDocument document, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(document);
        var (flags, errors) = FlagCompiler.Compile(document);
        return flags is null
            ? new FlagParseResult(null, errors)
            : new FlagParseResult(new FlagConfiguration(flags, timeProvider ?? TimeProvider.System), []);
    }

    /// <summary>The type of the flag with <paramref name="key"/>, if there is one.</summary>
    public bool TryGetType(string key, out FlagType type)
    {
        var found = _flags.TryGetValue(key, out var flag);
        type = found ? flag!.Type : default;
        return found;
    }

    public FlagEvaluation<bool> EvaluateBoolean(string key, bool defaultValue, FlagContext? context = null) =>
        Resolve(key, FlagType.Boolean, context, out var flag, out var variant, out var reason) is { } error
            ? new(defaultValue, null, FlagReason.Error, error, ErrorMessage(error, key, flag))
            : new(flag!.Booleans[variant], flag.VariantNames[variant], reason);

    public FlagEvaluation<string> EvaluateString(string key, string defaultValue, FlagContext? context = null) =>
        Resolve(key, FlagType.String, context, out var flag, out var variant, out var reason) is { } error
            ? new(defaultValue, null, FlagReason.Error, error, ErrorMessage(error, key, flag))
            : new(flag!.Strings[variant]!, flag.VariantNames[variant], reason);

    public FlagEvaluation<double> EvaluateNumber(string key, double defaultValue, FlagContext? context = null) =>
        Resolve(key, FlagType.Number, context, out var flag, out var variant, out var reason) is { } error
            ? new(defaultValue, null, FlagReason.Error, error, ErrorMessage(error, key, flag))
            : new(flag!.Numbers[variant], flag.VariantNames[variant], reason);

    public FlagEvaluation<JsonElement> EvaluateObject(string key, JsonElement defaultValue, FlagContext? context = null) =>
        Resolve(key, FlagType.Object, context, out var flag, out var variant, out var reason) is { } error
            ? new(defaultValue, null, FlagReason.Error, error, ErrorMessage(error, key, flag))
            : new(flag!.Values[variant], flag.VariantNames[variant], reason);

    /// <summary>Evaluates a flag of any type, giving its value as JSON (what a remote evaluation endpoint returns).</summary>
    public FlagEvaluation<JsonElement> Evaluate(string key, FlagContext? context = null) =>
        Resolve(key, null, context, out var flag, out var variant, out var reason) is { } error
            ? new(default, null, FlagReason.Error, error, ErrorMessage(error, key, flag))
            : new(flag!.Values[variant], flag.VariantNames[variant], reason);

    private FlagErrorCode? Resolve(
        string key, FlagType? expected, FlagContext? context, out CompiledFlag? flag, out int variant, out FlagReason reason)
    {
        ArgumentNullException.ThrowIfNull(key);
        variant = -1;
        reason = FlagReason.Error;
        if (!_flags.TryGetValue(key, out flag))
        {
            return FlagErrorCode.FlagNotFound;
        }

        if (expected is { } type && type != flag.Type)
        {
            return FlagErrorCode.TypeMismatch;
        }

        variant = flag.Resolve(context ?? EmptyContext, _time, Random.Shared, out reason);
        return null;
    }

    // Never handed out, so never changed.
    private static readonly FlagContext EmptyContext = new();

    private static string ErrorMessage(FlagErrorCode error, string key, CompiledFlag? flag) => error == FlagErrorCode.FlagNotFound
        ? $"There is no flag '{key}'."
        : $"The flag '{key}' is a {FlagNames.Type(flag!.Type)} flag.";

    /// <summary>A JSON error of a flag document or of part of one, as one sentence: its path, line and column, and what is wrong.</summary>
    public static string DescribeJsonError(JsonException ex)
    {
        ArgumentNullException.ThrowIfNull(ex);
        var where = ex.LineNumber is { } line ? $" (line {line + 1}, column {(ex.BytePositionInLine ?? 0) + 1})" : "";
        var path = string.IsNullOrEmpty(ex.Path) ? "$" : ex.Path;
        var what = ex.Message.Contains("could not be mapped", StringComparison.Ordinal) ? "there is a property the format does not have"
            : ex.Message.Contains("could not be converted", StringComparison.Ordinal) ? "the value has the wrong type"
            : "the JSON is malformed";
        return $"{path}{where}: {what}.";
    }
}
