namespace Shipgate.Delivery.Configuration;

/// <summary>
/// The services and environments a repository declares in <c>shipgate.yml</c>. The server reads the environments'
/// protection rules at the head of the project's protected branch, tightened by the run's commit (see
/// <see cref="ProtectionRules"/>). Only a file without errors becomes a config (see <see cref="ShipgateConfigLoader"/>).
/// </summary>
public sealed class ShipgateConfig
{
    /// <summary>The file's name at the repository root.</summary>
    public const string FileName = "shipgate.yml";

    /// <summary>The configuration of a repository without <c>shipgate.yml</c>: no services, no environments.</summary>
    public static ShipgateConfig Empty { get; } = new() { FilePath = FileName };

    /// <summary>The path the file was read from, as given to the loader.</summary>
    public required string FilePath { get; init; }

    /// <summary>The services in file order.</summary>
    public IReadOnlyList<ServiceDefinition> Services { get; init; } = [];

    /// <summary>The environments in file order.</summary>
    public IReadOnlyList<EnvironmentDefinition> Environments { get; init; } = [];

    /// <summary>The flags under <c>flags:</c> in file order: each environment's baseline (see <see cref="FileFlag"/>).</summary>
    public IReadOnlyList<FileFlag> Flags { get; init; } = [];

    /// <summary>The service named <paramref name="name"/> (case-insensitive, as host names are), or null.</summary>
    public ServiceDefinition? FindService(string name) =>
        Services.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// The environment named <paramref name="name"/>, or null. Names compare case-insensitively, as GitHub's
    /// environment names do, so a job's <c>environment: Production</c> finds <c>production</c>.
    /// </summary>
    public EnvironmentDefinition? FindEnvironment(string name) =>
        Environments.FirstOrDefault(e => string.Equals(e.Name, name, StringComparison.OrdinalIgnoreCase));
}
