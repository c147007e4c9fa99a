namespace Shipgate.Server.Hosting;

/// <summary>Set once the store is open, the admin exists and the listeners are up: <c>/healthz</c> answers 200 from then on.</summary>
internal sealed class ServerReadiness
{
    private volatile bool _ready;

    public bool IsReady => _ready;

    public void MarkReady() => _ready = true;

    public void MarkStopping() => _ready = false;
}
