using Shipgate.Edge.Routing;

namespace Shipgate.Edge.Proxy;

/// <summary>
/// Where a request goes: a release and the index of its first endpoint (already counted in flight), or a refusal
/// with its status and sentence (and the release, when one was chosen, for <c>X-Shipgate-Version</c>).
/// </summary>
internal readonly record struct Decision(
    int Status, string? Refusal, CompiledService Service, CompiledRelease? Release, int Endpoint, string? SetCookie)
{
    public static Decision Refuse(int status, string sentence, CompiledRelease? release = null) => new(status, sentence, null!, release, -1, null);
}
