namespace Shipgate.Delivery.Edge;

/// <summary>
/// <c>PUT /v1/services/{environment}/{service}/releases/{version}</c>: a release of the service, started as
/// <see cref="Instances"/> instances of <see cref="Command"/> in the unpacked artifact <see cref="ArtifactDigest"/>
/// (uploaded before with <c>PUT /v1/artifacts/{digest}</c>). Declaring the same version again with the same
/// artifact and command changes only its instance count; with another artifact or command it is a conflict (409).
/// A new release takes no traffic until <c>PUT .../routing</c> gives it a weight.
/// </summary>
public sealed record EdgeReleaseSpec
{
    /// <summary><c>sha256:</c> and the hex digest of the artifact's manifest (Engine's ArtifactManifest).</summary>
    public required string ArtifactDigest { get; init; }

    /// <summary>The command line, run with <c>/bin/sh -c</c> in the release directory.</summary>
    public required string Command { get; init; }

    /// <summary>How many instances to keep running, 1 to 64.</summary>
    public int Instances { get; init; } = 1;

    /// <summary>
    /// Variables the instances get (the environment's variables and secrets, SHIPGATE_SERVICE, SHIPGATE_ENVIRONMENT,
    /// SHIPGATE_VERSION are added by the edge). Kept in the edge's state file, which only the edge's user can read.
    /// </summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();
}
