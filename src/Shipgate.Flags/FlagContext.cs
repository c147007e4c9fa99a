using System.Globalization;

namespace Shipgate.Flags;

/// <summary>
/// What a flag is evaluated for: the targeting key (Unleash's userId), the well-known attributes and custom properties.
/// Build one per request (or reuse one with <see cref="Clear"/>); evaluating flags against it allocates nothing.
/// </summary>
public sealed class FlagContext
{
    private Dictionary<string, string>? _properties;

    /// <summary>The user or entity the flag is evaluated for (OpenFeature's targetingKey, Unleash's userId).</summary>
    public string? TargetingKey { get; set; }

    public string? SessionId { get; set; }

    public string? RemoteAddress { get; set; }

    public string? Environment { get; set; }

    public string? AppName { get; set; }

    /// <summary>The time DATE_BEFORE and DATE_AFTER compare with; the configuration's clock when absent.</summary>
    public DateTimeOffset? CurrentTime { get; set; }

    /// <summary>
    /// Sets an attribute by its context name: <c>targetingKey</c> or <c>userId</c>, <c>sessionId</c>,
    /// <c>remoteAddress</c>, <c>environment</c>, <c>appName</c>, or any other name as a custom property.
    /// A null value removes it.
    /// </summary>
    public FlagContext Set(string name, string? value)
    {
        ArgumentNullException.ThrowIfNull(name);
        switch (ContextFields.Parse(name))
        {
            case ContextField.UserId:
                TargetingKey = value;
                break;
            case ContextField.SessionId:
                SessionId = value;
                break;
            case ContextField.RemoteAddress:
                RemoteAddress = value;
                break;
            case ContextField.Environment:
                Environment = value;
                break;
            case ContextField.AppName:
                AppName = value;
                break;
            default:
                if (value is null)
                {
                    _properties?.Remove(name);
                }
                else
                {
                    (_properties ??= new Dictionary<string, string>(StringComparer.Ordinal))[name] = value;
                }

                break;
        }

        return this;
    }

    /// <summary>Sets a numeric custom property, written as the invariant culture writes it.</summary>
    public FlagContext Set(string name, double value) => Set(name, value.ToString("R", CultureInfo.InvariantCulture));

    /// <summary>Forgets every attribute, so the context can be reused.</summary>
    public void Clear()
    {
        TargetingKey = SessionId = RemoteAddress = Environment = AppName = null;
        CurrentTime = null;
        _properties?.Clear();
    }

    /// <summary>The value an attribute has, as Unleash's <c>resolveContextValue</c> finds it; null when absent.</summary>
    internal string? Resolve(ContextField field, string name) => field switch
    {
        ContextField.UserId => TargetingKey,
        ContextField.SessionId => SessionId,
        ContextField.RemoteAddress => RemoteAddress,
        ContextField.Environment => Environment,
        ContextField.AppName => AppName,
        ContextField.CurrentTime => CurrentTime?.ToString("O", CultureInfo.InvariantCulture),
        _ => _properties is not null && _properties.TryGetValue(name, out var value) ? value : null,
    };
}
