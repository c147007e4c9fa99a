namespace Shipgate.Server.Api;

/// <summary>
/// The newest audit checkpoint: the log held entries up to <paramref name="Sequence"/>, the last with
/// <paramref name="Hash"/>; <paramref name="Line"/> is its keyed line as the checkpoint file holds it.
/// </summary>
public sealed record AuditCheckpointResponse(long Sequence, string Hash, string At, string Line);
