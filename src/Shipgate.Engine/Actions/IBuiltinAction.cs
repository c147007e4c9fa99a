namespace Shipgate.Engine.Actions;

/// <summary>
/// An action implemented inside Shipgate (actions/checkout, shipgate/deploy...). This is the seam
/// through which later layers (delivery) add actions: register an implementation under its key.
/// </summary>
public interface IBuiltinAction
{
    /// <summary>
    /// <c>owner/repo</c> (or <c>owner/repo/path</c>) in lower case, e.g. <c>actions/checkout</c> or
    /// <c>actions/cache/restore</c>, compared with <see cref="ActionReference.Key"/>; any version matches.
    /// </summary>
    string Key { get; }

    /// <summary>Runs the action's main step. An expected failure is a result, not an exception.</summary>
    Task<ActionResult> RunAsync(IActionContext context, CancellationToken cancellationToken = default);

    /// <summary>Runs the action's post step, if it has one (after the job's steps, in reverse order).</summary>
    Task<ActionResult> PostAsync(IActionContext context, CancellationToken cancellationToken = default) => Task.FromResult(ActionResult.Success);

    /// <summary>
    /// True when <see cref="PostAsync"/> must run for this invocation. Asked after <see cref="RunAsync"/>
    /// ran (the post step of a main step that did not run is not due); it may read the state the main step saved.
    /// </summary>
    bool HasPost(IActionContext context) => false;

    /// <summary>
    /// The condition of the post step, like <c>runs.post-if</c> of an action.yml: evaluated as a step's
    /// <c>if:</c> when the post step is due. Default <c>always()</c>; <c>actions/cache</c> saves only on <c>success()</c>.
    /// </summary>
    string PostIf => "always()";
}
