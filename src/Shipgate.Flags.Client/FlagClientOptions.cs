using Microsoft.Extensions.Logging;

namespace Shipgate.Flags.Client;

/// <summary>Where a <see cref="FlagClient"/> reads its flags and how often. <see cref="FromEnvironment"/> fills them as the edge sets them.</summary>
public sealed class FlagClientOptions
{
    /// <summary>The variable through which the edge gives each instance the server's base URL.</summary>
    public const string UrlVariable = "SHIPGATE_FLAGS_URL";

    /// <summary>The variable through which the edge gives each instance its environment's client key.</summary>
    public const string KeyVariable = "SHIPGATE_FLAGS_KEY";

    /// <summary>The server's base URL (e.g. <c>http://127.0.0.1:8080</c>), under which <c>/flags/v1/document</c> lives. Required.</summary>
    public Uri? Url { get; set; }

    /// <summary>The environment's client key (<c>sgk_…</c>) or a user's API token, sent as <c>Authorization: Bearer</c>. Required.</summary>
    public string? Key { get; set; }

    /// <summary>With a user's API token: the project (<c>X-Shipgate-Project</c>). Default none (a client key names its own).</summary>
    public string? Project { get; set; }

    /// <summary>With a user's API token: the environment (<c>X-Shipgate-Environment</c>). Default none.</summary>
    public string? Environment { get; set; }

    /// <summary>How long after one fetch the next one starts. Default 5 s; at least 100 ms.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long one fetch may take before it counts as failed. Default 10 s.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The handler the client sends through (a proxy, a test's). Default a new <see cref="SocketsHttpHandler"/>, disposed
    /// with the client.
    /// </summary>
    public HttpMessageHandler? Handler { get; set; }

    /// <summary>The clock for polling and for DATE_BEFORE/DATE_AFTER without a context time. Default the system clock.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Where failed fetches and rejected documents are logged. Default nowhere.</summary>
    public ILogger? Logger { get; set; }

    /// <summary>Options from <c>SHIPGATE_FLAGS_URL</c> and <c>SHIPGATE_FLAGS_KEY</c>, the variables the edge gives each instance.</summary>
    public static FlagClientOptions FromEnvironment() => new()
    {
        Url = Uri.TryCreate(System.Environment.GetEnvironmentVariable(UrlVariable), UriKind.Absolute, out var url) ? url : null,
        Key = System.Environment.GetEnvironmentVariable(KeyVariable),
    };

    /// <summary>Every problem with the options, one sentence each; empty when they are usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (Url is null || Url.Scheme is not ("http" or "https"))
        {
            errors.Add($"The flags URL must be an absolute http or https URL (set {UrlVariable}).");
        }

        if (string.IsNullOrWhiteSpace(Key))
        {
            errors.Add($"The flags key is missing (set {KeyVariable}).");
        }

        if (PollInterval < TimeSpan.FromMilliseconds(100))
        {
            errors.Add($"The poll interval is {PollInterval.TotalMilliseconds} ms; it must be at least 100 ms.");
        }

        if (RequestTimeout <= TimeSpan.Zero)
        {
            errors.Add("The request timeout must be positive.");
        }

        return errors;
    }
}
