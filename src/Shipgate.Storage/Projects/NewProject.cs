namespace Shipgate.Storage.Projects;

public sealed record NewProject
{
    /// <summary>Unique among projects.</summary>
    public required string Name { get; init; }

    /// <summary>A local path or a clone URL.</summary>
    public required string Repository { get; init; }

    /// <summary>The branch watched and used when a run names none. Default <c>main</c>.</summary>
    public string DefaultBranch { get; init; } = "main";

    /// <summary>The secret GitHub signs webhooks with (stored encrypted), or null.</summary>
    public string? WebhookSecret { get; init; }

    /// <summary>Whether pull-request runs receive secrets. Default none.</summary>
    public PullRequestSecrets PullRequestSecrets { get; init; }
}
