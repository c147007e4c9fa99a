namespace Shipgate.Engine.Runs;

/// <summary>
/// Where a built-in action (upload-artifact) tells the run about an artifact it stored, so that the
/// run's result lists it. Available through <c>IActionContext.GetService</c>.
/// </summary>
public interface IRunArtifactRecorder
{
    void Record(RunArtifact artifact);

    /// <summary>The artifacts recorded so far in this run.</summary>
    IReadOnlyList<RunArtifact> Artifacts { get; }
}
