using Shipgate.Delivery.Analysis;
using Shipgate.Delivery.Configuration;

namespace Shipgate.Delivery.Rollouts;

/// <summary>A release to roll out to one environment: what it is, where it goes, how, and how to get its files.</summary>
public sealed record RolloutRequest
{
    public required ServiceDefinition Service { get; init; }

    public required EnvironmentDefinition Environment { get; init; }

    public required string Version { get; init; }

    /// <summary><c>sha256:…</c>, the artifact's manifest digest (the edge's release directory).</summary>
    public required string ArtifactDigest { get; init; }

    /// <summary>Opens the artifact's files as a tar stream, for an edge that lacks them.</summary>
    public required Func<CancellationToken, Task<Stream>> OpenArtifact { get; init; }

    /// <summary>The strategy; default the environment's.</summary>
    public RolloutStrategy? Strategy { get; init; }

    /// <summary>
    /// What the instances get: the environment's variables and secrets (on a server also <c>SHIPGATE_FLAGS_URL</c> and
    /// <c>SHIPGATE_FLAGS_KEY</c>, docs/flags.md). Default none.
    /// </summary>
    public IReadOnlyDictionary<string, string> Variables { get; init; } = new Dictionary<string, string>();

    /// <summary>How long the new release's instances have to become healthy. Default 60 s.</summary>
    public TimeSpan ReadyTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Where each step is written as it happens (the step's log); default nowhere.</summary>
    public Action<string> Log { get; init; } = static _ => { };

    /// <summary>
    /// A canary's channel to people: verbs in, progress and decisions out (on a server, the deployment's record). Default
    /// none: a canary step that waits for a person (<c>pause: {}</c>, an inconclusive analysis, a freeze) then fails.
    /// </summary>
    public IRolloutControl? Control { get; init; }

    /// <summary>
    /// Asks people to approve a canary's <c>approval</c> step by the given rules; answers approved or not with one
    /// sentence. Default none: an approval step in delivery mode then fails.
    /// </summary>
    public Func<ApprovalDefinition, int, CancellationToken, Task<(bool Approved, string Reason)>>? Approve { get; init; }

    /// <summary>
    /// Runs the canary's <c>command</c> metrics as a step of the deploying job (on a server, in its sandbox); before the
    /// analyst's own runner. Default none: the analyst's, or none, and such a metric is inconclusive.
    /// </summary>
    public IAnalysisCommandRunner? Commands { get; init; }

    /// <summary>
    /// Reads and changes the flag of a flag ramp (on a server, the environment's stored flags, audited). Default none:
    /// a flag ramp then fails before it deploys anything.
    /// </summary>
    public IFlagRampControl? Flags { get; init; }

    /// <summary>How often a canary looks at the analysis, the health and the verbs while it waits outside an analysis step (which has its own interval). Default 1 s.</summary>
    public TimeSpan LookInterval { get; init; } = TimeSpan.FromSeconds(1);

    public RolloutStrategy EffectiveStrategy => Strategy ?? Environment.Strategy;
}
