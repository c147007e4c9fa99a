namespace Shipgate.Delivery.Tests.Rollouts;

/// <summary>How a release behaves on the <see cref="FakeEdgeClient"/>, set by a test before it is declared.</summary>
public enum FakeReleaseBehaviour
{
    /// <summary>Its instances pass their health check (one look after they start).</summary>
    Healthy,

    /// <summary>Its instances start and never pass.</summary>
    NeverHealthy,

    /// <summary>Its instances exit again and again.</summary>
    CrashLooping,

    /// <summary>Healthy until it takes traffic, then crash-looping.</summary>
    CrashLoopsUnderTraffic,

    /// <summary>Healthy, but the stand-in listener answers 500 for it.</summary>
    FailsSmoke,

    /// <summary>Healthy, and answers 200 until it takes traffic, then 500.</summary>
    FailsSmokeUnderTraffic,
}
