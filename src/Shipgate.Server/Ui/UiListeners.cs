using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Shipgate.Server.Ui;

/// <summary>
/// Which of Kestrel's listeners is the web UI's: its endpoints answer only there and the API's only on the other. Kestrel
/// writes the bound port back into the listen options, so a free port (0) is known once the server listens.
/// </summary>
internal sealed class UiListeners
{
    public ListenOptions? Ui { get; set; }

    /// <summary>True when the request came in on the UI's port.</summary>
    public bool IsUi(HttpContext context) => Ui is { } ui && ui.IPEndPoint?.Port == context.Connection.LocalPort;

    /// <summary>The UI's address (<c>http://127.0.0.1:PORT/</c>) once listening; null before.</summary>
    public Uri? Url => Ui?.IPEndPoint is { Port: > 0 } endpoint ? new Uri($"http://127.0.0.1:{endpoint.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)}/") : null;
}
