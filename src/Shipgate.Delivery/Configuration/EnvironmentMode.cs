namespace Shipgate.Delivery.Configuration;

/// <summary>How a release enters an environment once the automated gates pass.</summary>
public enum EnvironmentMode
{
    /// <summary>Continuous delivery: people approve (the environment's <c>approval</c> block).</summary>
    Delivery,

    /// <summary>Continuous deployment: no people; recorded as "automatic by policy".</summary>
    Deployment,
}
