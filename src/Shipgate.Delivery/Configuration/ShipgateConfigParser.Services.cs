using System.Text.RegularExpressions;
using Shipgate.Core.Workflows;

namespace Shipgate.Delivery.Configuration;

internal sealed partial class ShipgateConfigParser
{
    private static readonly string[] ServiceKeys = ["run", "port-env", "health", "instances", "health-interval", "health-timeout", "drain-timeout"];

    /// <summary>The most instances of one service in one environment; more is a typo on a single host.</summary>
    internal const int MaxInstances = 64;

    private List<ServiceDefinition> ReadServices(TemplateToken token)
    {
        var services = new List<ServiceDefinition>();
        var map = ReadMapping(token, "services");
        if (map is null)
        {
            return services;
        }

        foreach (var (name, value) in map.Pairs)
        {
            var nameIsValid = CheckName(name, "service");
            if (ReadService(name, value) is { } service && nameIsValid)
            {
                services.Add(service);
            }
        }

        return services;
    }

    private ServiceDefinition? ReadService(ScalarToken name, TemplateToken token)
    {
        var what = $"services.{name.Value}";
        var map = ReadMapping(token, what);
        if (map is null)
        {
            return null;
        }

        string? run = null;
        var portEnv = "PORT";
        var health = "/health";
        var instances = 1;
        var defaults = new ServiceDefinition { Name = name.Value, Location = name.Location, Run = "" };
        var (healthInterval, healthTimeout, drainTimeout) = (defaults.HealthInterval, defaults.HealthTimeout, defaults.DrainTimeout);
        foreach (var (key, value) in map.Pairs)
        {
            switch (key.Value)
            {
                case "run":
                    run = ReadString(value, $"{what}.run")?.Value;
                    break;
                case "port-env":
                    if (ReadString(value, $"{what}.port-env") is { } port)
                    {
                        if (EnvNameRegex().IsMatch(port.Value))
                        {
                            portEnv = port.Value;
                        }
                        else
                        {
                            Error(port.Location, $"'{what}.port-env' must be an environment variable name (letters, digits and '_', not starting with a digit), not '{port.Value}'");
                        }
                    }

                    break;
                case "health":
                    if (ReadString(value, $"{what}.health") is { } path)
                    {
                        if (path.Value.StartsWith('/') && !path.Value.Any(char.IsWhiteSpace))
                        {
                            health = path.Value;
                        }
                        else
                        {
                            Error(path.Location, $"'{what}.health' must be a path starting with '/', such as /health, not '{path.Value}'");
                        }
                    }

                    break;
                case "instances":
                    instances = ReadInteger(value, $"{what}.instances", 1, MaxInstances) ?? instances;
                    break;
                case "health-interval":
                    healthInterval = ReadShortDuration(value, $"{what}.health-interval", TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(5)) ?? healthInterval;
                    break;
                case "health-timeout":
                    healthTimeout = ReadShortDuration(value, $"{what}.health-timeout", TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(5)) ?? healthTimeout;
                    break;
                case "drain-timeout":
                    drainTimeout = ReadShortDuration(value, $"{what}.drain-timeout", TimeSpan.Zero, TimeSpan.FromHours(1)) ?? drainTimeout;
                    break;
                default:
                    UnknownKey(key, ServiceKeys, what);
                    break;
            }
        }

        if (run is null)
        {
            if (map["run"] is null)
            {
                Error(name.Location, $"service '{name.Value}' needs 'run': the command that starts it in the unpacked artifact");
            }

            return null;
        }

        return new ServiceDefinition
        {
            Name = name.Value,
            Location = name.Location,
            Run = run,
            PortEnv = portEnv,
            Health = health,
            Instances = instances,
            HealthInterval = healthInterval,
            HealthTimeout = healthTimeout,
            DrainTimeout = drainTimeout,
        };
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$", RegexOptions.CultureInvariant)]
    private static partial Regex EnvNameRegex();
}
