using System.Text.Json;
using Shipgate.Delivery.Edge;

namespace Shipgate.Edge.Admin;

/// <summary>
/// Puts the documented defaults back into a spec read from JSON: the source-generated deserializer sets every
/// init-only property, so a field the caller left out arrives as null or 0 instead of its default.
/// </summary>
internal static class EdgeSpecDefaults
{
    public static EdgeServiceSpec Fill(EdgeServiceSpec spec, JsonElement json)
    {
        var d = new EdgeServiceSpec();
        return spec with
        {
            Hosts = spec.Hosts?.Select(h => h.ToLowerInvariant()).ToList() ?? d.Hosts,
            PortEnv = spec.PortEnv ?? d.PortEnv,
            HealthPath = spec.HealthPath ?? d.HealthPath,
            HealthIntervalMs = Has(json, "healthIntervalMs") ? spec.HealthIntervalMs : d.HealthIntervalMs,
            HealthTimeoutMs = Has(json, "healthTimeoutMs") ? spec.HealthTimeoutMs : d.HealthTimeoutMs,
            DrainTimeoutMs = Has(json, "drainTimeoutMs") ? spec.DrainTimeoutMs : d.DrainTimeoutMs,
            StopGraceMs = Has(json, "stopGraceMs") ? spec.StopGraceMs : d.StopGraceMs,
        };
    }

    public static EdgeReleaseSpec Fill(EdgeReleaseSpec spec, JsonElement json) => spec with
    {
        Instances = Has(json, "instances") ? spec.Instances : 1,
        Environment = spec.Environment ?? new Dictionary<string, string>(),
    };

    public static EdgeRoutingSpec Fill(EdgeRoutingSpec spec, JsonElement json)
    {
        var mirror = spec.Mirror is { } m && json.TryGetProperty("mirror", out var mirrorJson)
            ? m with
            {
                Methods = m.Methods ?? new EdgeMirrorSpec { Version = m.Version, Permille = m.Permille }.Methods,
                MaxBodyBytes = Has(mirrorJson, "maxBodyBytes") ? m.MaxBodyBytes : 1 << 20,
                Compare = m.Compare is { } c && mirrorJson.TryGetProperty("compare", out var compareJson) ? Fill(c, compareJson) : m.Compare,
            }
            : spec.Mirror;
        return spec with { Weights = spec.Weights ?? new Dictionary<string, int>(), HeaderRoutes = spec.HeaderRoutes ?? [], Mirror = mirror };
    }

    private static EdgeMirrorCompare Fill(EdgeMirrorCompare spec, JsonElement json)
    {
        var d = new EdgeMirrorCompare();
        return spec with
        {
            Status = Has(json, "status") ? spec.Status : d.Status,
            LatencySlackMillis = Has(json, "latencySlackMillis") ? spec.LatencySlackMillis : d.LatencySlackMillis,
            BodyPaths = spec.BodyPaths ?? d.BodyPaths,
            IgnoreFields = spec.IgnoreFields ?? d.IgnoreFields,
            MaxBodyBytes = Has(json, "maxBodyBytes") ? spec.MaxBodyBytes : d.MaxBodyBytes,
        };
    }

    private static bool Has(JsonElement json, string name) => json.ValueKind == JsonValueKind.Object && json.TryGetProperty(name, out _);
}
