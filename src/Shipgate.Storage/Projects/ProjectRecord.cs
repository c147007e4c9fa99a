namespace Shipgate.Storage.Projects;

/// <summary>A repository Shipgate runs workflows for. The webhook secret is never part of the record: ask <see cref="ProjectStore.GetWebhookSecretAsync"/>.</summary>
public sealed record ProjectRecord(long Id, string Name, string Repository, string DefaultBranch, bool HasWebhookSecret, DateTimeOffset CreatedAt)
{
    /// <summary>Whether pull-request runs receive secrets. Default <see cref="PullRequestSecrets.None"/>.</summary>
    public PullRequestSecrets PullRequestSecrets { get; init; }
}
