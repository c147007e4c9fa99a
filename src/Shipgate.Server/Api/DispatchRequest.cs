namespace Shipgate.Server.Api;

/// <summary>
/// <c>POST /api/v1/projects/{name}/dispatches</c>: runs a workflow (its file name, e.g. <c>deploy.yml</c>, or
/// its path) that has a <c>workflow_dispatch</c> trigger, at <see cref="Ref"/> (default the project's branch).
/// </summary>
public sealed record DispatchRequest(string Workflow, string? Ref, IReadOnlyDictionary<string, string>? Inputs);
