namespace Shipgate.Engine.Actions;

/// <summary>
/// An action implemented inside Shipgate (actions/checkout, shipgate/deploy...). This is the seam
/// through which later layers (delivery) add actions: register an implementation under its key.
/// </summary>
public interface IBuiltinAction
{
    /// <summary><c>owner/repo</c> in lower case, e.g. <c>actions/checkout</c>; any version matches.</summary>
    string Key { get; }

    /// <summary>Runs the action's main step. An expected failure is a result, not an exception.</summary>
    Task<ActionResult> RunAsync(IActionContext context, CancellationToken cancellationToken = default);

    /// <summary>Runs the action's post step, if it has one (after the job's steps, in reverse order).</summary>
    Task<ActionResult> PostAsync(IActionContext context, CancellationToken cancellationToken = default) => Task.FromResult(ActionResult.Success);

    /// <summary>True when <see cref="PostAsync"/> must run for this invocation.</summary>
    bool HasPost(IActionContext context) => false;
}
