namespace Shipgate.Server.Hosting;

/// <summary>
/// Set once the store is open, the admin exists and the listeners are up: <c>/healthz</c> answers 200 from then on,
/// unless the server cannot do its work (<see cref="Fault"/>): then 503 with the fault in one sentence.
/// </summary>
internal sealed class ServerReadiness
{
    private volatile bool _ready;
    private volatile string? _storeFault;

    public bool IsReady => _ready;

    public void MarkReady() => _ready = true;

    public void MarkStopping() => _ready = false;

    /// <summary>The scheduler's work with the store failed (it cannot be written or reached): a fault until its next round succeeds.</summary>
    public void StoreFailed(Exception exception) => _storeFault = $"The store cannot be written: {exception.Message}";

    public void StoreWorked() => _storeFault = null;

    /// <summary>
    /// Why the server cannot run workflows now, in one sentence, or null: the store's last round failed, or the data
    /// folder (or its <c>runs/</c>, where every run's logs and workspaces go) cannot be written, tried now with a file
    /// that is created and removed (a mode, a read-only mount, a full disk: what the OS refuses, also to root).
    /// </summary>
    public string? Fault(string dataDirectory)
    {
        if (_storeFault is { } store)
        {
            return store;
        }

        foreach (var directory in (string[])[dataDirectory, Path.Combine(dataDirectory, "runs")])
        {
            if (!Directory.Exists(directory))
            {
                continue;
            }

            var probe = Path.Combine(directory, $".healthz-{Guid.NewGuid():N}");
            try
            {
                File.WriteAllBytes(probe, []);
                File.Delete(probe);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                return $"The data folder {directory} cannot be written: {ex.Message}";
            }
        }

        return null;
    }
}
