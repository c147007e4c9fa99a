namespace Shipgate.Engine.Commands;

/// <summary>A parsed workflow command: <c>::name key=value,key=value::data</c>, values unescaped.</summary>
/// <param name="Name">The command as written (matched ignoring case).</param>
/// <param name="Properties">The properties, keys ignoring case.</param>
/// <param name="Data">The message after the second <c>::</c>.</param>
internal sealed record WorkflowCommand(string Name, IReadOnlyDictionary<string, string> Properties, string Data)
{
    public string? Property(string key) => Properties.TryGetValue(key, out var value) ? value : null;
}
