using Shipgate.Engine.Actions;

namespace Shipgate.Engine.Steps;

/// <summary>Finds the built-in action for a <c>uses:</c> reference; any version matches.</summary>
internal sealed class BuiltinActionRegistry
{
    private readonly Dictionary<string, IBuiltinAction> _actions = new(StringComparer.OrdinalIgnoreCase);

    public BuiltinActionRegistry(IEnumerable<IBuiltinAction> actions)
    {
        foreach (var action in actions)
        {
            // A later registration replaces an earlier one, so a host can override a default action.
            _actions[action.Key] = action;
        }
    }

    /// <summary>The action registered under the reference's key (<c>owner/repo</c> or <c>owner/repo/path</c>), or null.</summary>
    public IBuiltinAction? Find(ActionReference reference) => reference.Key is null ? null : _actions.GetValueOrDefault(reference.Key);

    public static string NotAvailableMessage(string uses) =>
        $"action {uses} is not available offline; vendor it into the repository and use `uses: ./path`";
}
