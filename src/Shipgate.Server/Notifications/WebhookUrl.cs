namespace Shipgate.Server.Notifications;

/// <summary>Checks an outgoing webhook's URL and gives the form that may be shown (without the path, which may be a secret).</summary>
internal static class WebhookUrl
{
    private const int MaxLength = 2048;

    /// <summary>Null when <paramref name="text"/> is an absolute http(s) URL with a host, else the sentence that says what is wrong.</summary>
    public static string? Problem(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return "A webhook needs a URL, e.g. https://hooks.slack.com/services/….";
        }

        if (text.Length > MaxLength)
        {
            return $"The webhook URL is longer than {MaxLength} characters.";
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Host.Length == 0)
        {
            return $"'{Shown(text)}' is not an absolute URL: give one such as https://example.com/hooks/shipgate.";
        }

        return uri.Scheme is "http" or "https"
            ? null
            : $"The webhook URL must start with http:// or https://, not {uri.Scheme}://.";
    }

    /// <summary>Scheme, host and port, and "/…" when there is more: what listings and the audit log show.</summary>
    public static string Display(string url)
    {
        var uri = new Uri(url, UriKind.Absolute);
        var left = $"{uri.Scheme}://{uri.Authority}";
        return uri.PathAndQuery is "/" or "" ? left : left + "/…";
    }

    // A bad URL is shown in the error only in part: it may still hold a secret.
    private static string Shown(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
