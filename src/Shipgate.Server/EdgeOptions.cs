namespace Shipgate.Server;

/// <summary>
/// The edge the server deploys through (the <c>Shipgate:Edge</c> section). Without <see cref="Admin"/> no edge is
/// configured and <c>shipgate/deploy</c> fails saying so.
/// </summary>
public sealed class EdgeOptions
{
    /// <summary>The edge's admin API: <c>unix:/path/admin.sock</c> or <c>http://127.0.0.1:PORT</c>. Default none.</summary>
    public string? Admin { get; set; }

    /// <summary>The file holding the admin API's bearer token (TCP only). Default none.</summary>
    public string? TokenFile { get; set; }
}
