namespace Shipgate.Server.Flags;

/// <summary>
/// Whose flags a reading request may see: one environment of one project, or a refusal with its status (401, 403,
/// 404, 400) and one sentence.
/// </summary>
internal sealed record FlagReader(long ProjectId, string Environment, int Status, string? Refusal)
{
    public static FlagReader Refuse(int status, string refusal) => new(0, "", status, refusal);
}
