using Shipgate.Delivery.Rollouts;
using Shipgate.Server.Hosting;
using Shipgate.Storage.Audit;

namespace Shipgate.Server.Flags;

/// <summary>
/// The flags a flag ramp (ADR 0030) reads and changes: the environment's stored document, after the file's flags were
/// applied (<see cref="FlagBaselines"/>), each change checked by the library, audited as <c>flag.rollout</c> or
/// <c>flag.disable</c> by <c>shipgate</c> with the deployment's reason, and served from the next request on. No role is
/// checked here: the ramp runs in a deployment that passed the environment's gates, under its protected rules.
/// </summary>
internal sealed class FlagRamps(ServerStore store, FlagBaselines baselines, FlagDocuments documents)
{
    public IFlagRampControl For(long projectId, string environment) => new Control(store, baselines, documents, projectId, environment.ToLowerInvariant());

    private sealed class Control(ServerStore store, FlagBaselines baselines, FlagDocuments documents, long projectId, string environment) : IFlagRampControl
    {
        public async Task<FlagRampState?> ReadAsync(string key, CancellationToken cancellationToken = default)
        {
            if (await store.Store.Projects.GetAsync(projectId, cancellationToken).ConfigureAwait(false) is { } project)
            {
                await baselines.SyncAsync(project, environment, cancellationToken).ConfigureAwait(false);
            }

            var record = await store.Store.Flags.GetDocumentAsync(projectId, environment, cancellationToken).ConfigureAwait(false);
            return FlagEditor.Read(record?.Document).Flags?.Find(f => f.Key == key) is { } flag
                ? new FlagRampState(flag.Enabled, FlagEditor.RolloutRule(flag)?.Rollout!.Percentage, flag.DefaultVariant ?? "")
                : null;
        }

        public Task<string?> SetPercentAsync(string key, double percent, string reason, CancellationToken cancellationToken = default) =>
            EditAsync(key, "flag.rollout", reason, (document, flag) => FlagEditor.SetRollout(key, percent)(document, flag) ?? FlagEditor.SetEnabled(key, true)(document, flag), cancellationToken);

        public Task<string?> TurnOffAsync(string key, string reason, CancellationToken cancellationToken = default) =>
            EditAsync(key, "flag.disable", reason, FlagEditor.SetEnabled(key, false), cancellationToken);

        private async Task<string?> EditAsync(string key, string action, string reason, FlagEditor.Change change, CancellationToken cancellationToken)
        {
            var project = await store.Store.Projects.GetAsync(projectId, cancellationToken).ConfigureAwait(false);
            var audit = new NewAuditEntry
            {
                Actor = FlagBaselines.Actor,
                Action = action,
                Target = $"project/{project?.Name}/environment/{environment}/flag/{key}",
                Reason = reason,
            };
            var result = await store.Store.Flags.EditDocumentAsync(
                projectId, environment, current => FlagEditor.Apply(current, key, audit, change), cancellationToken).ConfigureAwait(false);
            documents.Invalidate(projectId, environment);
            return result.Error;
        }
    }
}
