namespace Shipgate.Engine.Runs;

/// <summary>Collects the artifacts of one run (thread-safe).</summary>
internal sealed class RunArtifactRecorder : IRunArtifactRecorder
{
    private readonly Lock _lock = new();
    private readonly List<RunArtifact> _artifacts = [];

    public IReadOnlyList<RunArtifact> Artifacts
    {
        get
        {
            lock (_lock)
            {
                return [.. _artifacts];
            }
        }
    }

    public void Record(RunArtifact artifact)
    {
        lock (_lock)
        {
            _artifacts.RemoveAll(a => string.Equals(a.Name, artifact.Name, StringComparison.Ordinal));
            _artifacts.Add(artifact);
        }
    }
}
