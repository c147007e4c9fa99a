using Shipgate.Delivery.Rollouts;
using Shipgate.Engine.Actions;

namespace Shipgate.Server.Deployments;

/// <summary>The built-in actions that deploy: <c>shipgate/deploy</c> and <c>shipgate/verify</c>, for the server's runs and <c>shipgate run</c>.</summary>
public static class DeploymentActions
{
    // Smoke checks go to the local edge: no proxy, no cookies, no redirects followed (a 302 is an answer to check).
    private static readonly Lazy<HttpClient> SmokeClient = new(() => new HttpClient(new SocketsHttpHandler
    {
        UseProxy = false,
        UseCookies = false,
        AllowAutoRedirect = false,
        PooledConnectionLifetime = TimeSpan.FromMinutes(1),
    })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    });

    /// <summary>The client smoke checks are sent with when none is given.</summary>
    internal static HttpClient SharedSmokeClient => SmokeClient.Value;

    /// <summary>The two actions; <paramref name="smokeClient"/> is what smoke checks are sent with (default a shared client).</summary>
    public static IReadOnlyList<IBuiltinAction> Create(HttpClient? smokeClient = null) =>
        [new DeployAction(smokeClient ?? SmokeClient.Value), new VerifyAction(smokeClient ?? SmokeClient.Value)];

    internal static SmokeRunner Smoke(HttpClient http, IActionContext context) => new(http, context.GetService<TimeProvider>() ?? TimeProvider.System);
}
