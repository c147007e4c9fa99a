using System.Text.RegularExpressions;
using Shipgate.Core.Diagnostics;
using Shipgate.Core.Workflows;
using Shipgate.Core.Yaml;

namespace Shipgate.Delivery.Configuration;

/// <summary>
/// Turns the token tree of <c>shipgate.yml</c> into a <see cref="ShipgateConfig"/>, checking keys, types and
/// values. Every problem is collected (the parser never stops at the first), each at its line and column,
/// with "did you mean" for misspelt keys and choices.
/// </summary>
internal sealed partial class ShipgateConfigParser
{
    private static readonly string[] TopLevelKeys = ["services", "environments", "flags"];

    private readonly string _filePath;
    private readonly TokenReader _reader;

    /// <summary>The environment names flags override, checked against the declared environments at the end.</summary>
    private readonly List<ScalarToken> _flagEnvironments = [];

    private ShipgateConfigParser(string filePath, List<Diagnostic> diagnostics)
    {
        _filePath = filePath;
        _reader = new TokenReader(diagnostics);
    }

    /// <summary>Parses <paramref name="root"/> as far as it can; an empty file is an empty configuration.</summary>
    public static ShipgateConfig? Parse(TemplateToken? root, string filePath, List<Diagnostic> diagnostics) =>
        new ShipgateConfigParser(filePath, diagnostics).ParseConfig(root);

    private ShipgateConfig? ParseConfig(TemplateToken? root)
    {
        if (root is null or ScalarToken { IsNull: true })
        {
            return new ShipgateConfig { FilePath = _filePath };
        }

        if (root is not MappingToken map)
        {
            Error(root.Location, $"shipgate.yml must be a mapping with 'services' and 'environments', not {root.KindName}");
            return null;
        }

        IReadOnlyList<ServiceDefinition> services = [];
        IReadOnlyList<EnvironmentDefinition> environments = [];
        IReadOnlyList<FileFlag> flags = [];
        foreach (var (key, value) in map.Pairs)
        {
            switch (key.Value)
            {
                case "services":
                    services = ReadServices(value);
                    break;
                case "environments":
                    environments = ReadEnvironments(value);
                    break;
                case "flags":
                    flags = ReadFlags(value);
                    break;
                default:
                    UnknownKey(key, TopLevelKeys, null);
                    break;
            }
        }

        var names = environments.Select(e => e.Name).ToList();
        foreach (var unknown in _flagEnvironments.Where(e => !names.Contains(e.Value, StringComparer.OrdinalIgnoreCase)))
        {
            Error(unknown.Location, $"flags override environment '{unknown.Value}', which 'environments' does not declare{KeySuggestion.DidYouMean(unknown.Value, names)}");
        }

        return new ShipgateConfig { FilePath = _filePath, Services = services, Environments = environments, Flags = flags };
    }

    /// <summary>
    /// Checks a service or environment name: a DNS label (letters, digits and '-', at most 63), because the
    /// edge routes <c>SERVICE.ENVIRONMENT.localhost</c>. Names compare without case, as host names do; the YAML
    /// loader already refuses two keys of one mapping that differ only in case.
    /// </summary>
    private bool CheckName(ScalarToken name, string kind)
    {
        if (DnsLabelRegex().IsMatch(name.Value))
        {
            return true;
        }

        Error(name.Location, $"{kind} name '{name.Value}' is invalid; use letters, digits and '-' (at most 63, not at either end), as it becomes part of a host name");
        return false;
    }

    [GeneratedRegex("^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex DnsLabelRegex();
}
