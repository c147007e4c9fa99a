using Shipgate.Delivery.Configuration;
using Shipgate.Storage.Projects;

namespace Shipgate.Server.Flags;

/// <summary>
/// A project's environment whose flags a request reads or changes (its name lower-cased, as flags are stored; its
/// definition when <c>shipgate.yml</c> declares it), or the status and sentence of a refusal.
/// </summary>
internal sealed record FlagEnvironment(ProjectRecord? Project, string? Environment, EnvironmentDefinition? Definition, int Status, string? Refusal)
{
    public static FlagEnvironment Refuse(int status, string refusal) => new(null, null, null, status, refusal);
}
