using System.Collections.Frozen;
using Shipgate.Delivery.Edge;
using Shipgate.Edge.Comparison;

namespace Shipgate.Edge.Routing;

/// <summary>
/// One service's routing, compiled when a table is published so a request only indexes arrays: the weights become
/// a table of buckets (one per mille) laid out in the order the releases were declared, so when a newer release
/// gains weight the clients already on it keep it (sticky buckets only move from the older releases to it).
/// </summary>
internal sealed class CompiledService
{
    private readonly FrozenDictionary<string, CompiledRelease> _releases;
    private readonly CompiledRelease[] _buckets;
    private readonly (string Name, string Value, CompiledRelease Release)[] _headerRoutes;
    private readonly EdgeStickiness? _sticky;
    private readonly string[] _setCookies;

    public CompiledService(string environment, string service, IReadOnlyList<CompiledRelease> releases,
        IReadOnlyList<int> weights, EdgeRoutingSpec? routing)
    {
        Environment = environment;
        Service = service;
        _releases = releases.ToFrozenDictionary(r => r.Version, StringComparer.Ordinal);
        _buckets = routing is null ? [] : [.. releases.SelectMany((r, i) => Enumerable.Repeat(r, Math.Max(0, weights[i])))];
        _headerRoutes = routing is null
            ? []
            : [.. routing.HeaderRoutes.Where(h => _releases.ContainsKey(h.Version)).Select(h => (h.Name, h.Value, _releases[h.Version]))];
        _sticky = routing?.Sticky;
        _setCookies = _sticky is { Kind: "cookie" } sticky
            ? [.. Enumerable.Range(0, _buckets.Length).Select(b => sticky.Name + "=" + b + "; Path=/; HttpOnly; SameSite=Lax")]
            : [];
        Preview = routing?.Preview is { } preview ? _releases.GetValueOrDefault(preview) : null;
        if (routing?.Mirror is { } mirror && _releases.TryGetValue(mirror.Version, out var target))
        {
            Mirror = mirror;
            MirrorTarget = target;
            MirrorMethods = mirror.Methods.ToFrozenSet(StringComparer.OrdinalIgnoreCase);
        }
    }

    public string Environment { get; }

    public string Service { get; }

    /// <summary>False until routing with a weight above 0 is set: the service answers 503.</summary>
    public bool HasRouting => _buckets.Length > 0;

    /// <summary>The release of <c>preview.SERVICE.ENVIRONMENT.localhost</c>; null: that host answers 404.</summary>
    public CompiledRelease? Preview { get; }

    public EdgeMirrorSpec? Mirror { get; }

    public CompiledRelease? MirrorTarget { get; }

    public FrozenSet<string> MirrorMethods { get; } = FrozenSet<string>.Empty;

    /// <summary>The mirror's comparison of answers; null when the mirror only measures its copies, or there is no mirror.</summary>
    public CompiledCompare? MirrorCompare { get; init; }

    public bool TryGetRelease(string version, out CompiledRelease release) => _releases.TryGetValue(version, out release!);

    /// <summary>
    /// The release for a request that pins none: a matching header route, else the weights (by the sticky cookie's
    /// or header's value when set, else at random). <paramref name="setCookie"/> is the <c>Set-Cookie</c> value
    /// that keeps a client without the sticky cookie on the bucket drawn for it.
    /// </summary>
    public CompiledRelease Choose<TRequest>(TRequest request, Random random, out string? setCookie)
        where TRequest : IRoutingRequest
    {
        setCookie = null;
        foreach (var (name, value, release) in _headerRoutes)
        {
            if (string.Equals(request.Header(name), value, StringComparison.Ordinal))
            {
                return release;
            }
        }

        int bucket;
        if (_sticky is null)
        {
            bucket = random.Next(_buckets.Length);
        }
        else if (_sticky.Kind == "cookie")
        {
            if (request.Cookie(_sticky.Name) is { Length: > 0 } token)
            {
                bucket = int.TryParse(token, out var b) && b >= 0 && b < _buckets.Length ? b : Bucket(token);
            }
            else
            {
                bucket = random.Next(_buckets.Length);
                setCookie = _setCookies[bucket];
            }
        }
        else
        {
            bucket = request.Header(_sticky.Name) is { Length: > 0 } value
                ? Bucket(value)
                : random.Next(_buckets.Length);
        }

        return _buckets[bucket];
    }

    // FNV-1a: stable across processes and restarts, unlike string.GetHashCode, so a client keeps its bucket.
    private int Bucket(string value)
    {
        var hash = 2166136261u;
        foreach (var c in value)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return (int)(hash % (uint)_buckets.Length);
    }
}
