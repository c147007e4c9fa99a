using System.Text.Json;

namespace Shipgate.Edge.State;

/// <summary>The files of a state directory: <c>state.json</c> (desired state), <c>edge.json</c> (discovery), written atomically, 0600.</summary>
internal static class EdgeStateFile
{
    public const string StateName = "state.json";
    public const string DiscoveryName = "edge.json";

    public static PersistedState Load(string stateDirectory)
    {
        var path = Path.Combine(stateDirectory, StateName);
        if (!File.Exists(path))
        {
            return new PersistedState();
        }

        try
        {
            return JsonSerializer.Deserialize(File.ReadAllBytes(path), EdgeStateJsonContext.Default.PersistedState) ?? new PersistedState();
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"The edge's state file {path} is not valid ({ex.Message}); move it away to start empty.", ex);
        }
    }

    public static void Save(string stateDirectory, PersistedState state) =>
        AtomicFile.Write(Path.Combine(stateDirectory, StateName), JsonSerializer.SerializeToUtf8Bytes(state, EdgeStateJsonContext.Default.PersistedState));

    public static EdgeDiscovery? ReadDiscovery(string stateDirectory)
    {
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllBytes(Path.Combine(stateDirectory, DiscoveryName)), EdgeStateJsonContext.Default.EdgeDiscovery);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException)
        {
            return null;
        }
    }

    public static void WriteDiscovery(string stateDirectory, EdgeDiscovery discovery) =>
        AtomicFile.Write(Path.Combine(stateDirectory, DiscoveryName), JsonSerializer.SerializeToUtf8Bytes(discovery, EdgeStateJsonContext.Default.EdgeDiscovery));
}
