namespace Shipgate.Server;

/// <summary>How the server runs workflow steps (<see cref="ServerOptions.StepIsolation"/>).</summary>
public enum StepIsolation
{
    /// <summary>In a bubblewrap sandbox per job: the data directory and the server's environment hidden, the runner user when root.</summary>
    Sandbox,

    /// <summary>On the host, as the server's user with its environment: steps can read everything the server can.</summary>
    None,
}
