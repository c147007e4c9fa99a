namespace Shipgate.Engine.Commands;

/// <summary>How a step's workflow commands are processed.</summary>
public sealed record WorkflowCommandOptions
{
    /// <summary>GITHUB_WORKSPACE: annotation file paths inside it are made relative to it, as on GitHub. Null to leave paths as written.</summary>
    public string? Workspace { get; init; }

    /// <summary>
    /// True when the step's environment has <c>ACTIONS_ALLOW_UNSECURE_COMMANDS=true</c>: only then are the disabled
    /// <c>::set-env</c> and <c>::add-path</c> commands honoured. Default false, as on GitHub.
    /// </summary>
    public bool AllowUnsecureCommands { get; init; }

    /// <summary>
    /// Whether processed command lines are echoed to the log at the start (GitHub: on when ACTIONS_STEP_DEBUG is
    /// true); a step can change it with <c>::echo::on|off</c>. Default false.
    /// </summary>
    public bool EchoCommands { get; init; }
}
