using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Shipgate.Server.Hosting;
using Shipgate.Storage.Audit;

namespace Shipgate.Server.Flags;

/// <summary>
/// What a deployed service needs to read its environment's flags with no configuration: <c>SHIPGATE_FLAGS_URL</c> (this
/// server's address) and <c>SHIPGATE_FLAGS_KEY</c>, the environment's deployment client key. The key is made at the
/// first deployment to the environment and kept as the environment's secret of that name (encrypted at rest, masked
/// in logs), so every later deployment hands its instances the same key; a revoked one is replaced at the next.
/// </summary>
internal sealed class FlagDeployKeys(ServerStore store, IServer server)
{
    public const string UrlVariable = "SHIPGATE_FLAGS_URL";
    public const string KeyVariable = "SHIPGATE_FLAGS_KEY";

    /// <summary><paramref name="variables"/> with the two flag variables added (the project's own values of them win).</summary>
    public async Task<IReadOnlyDictionary<string, string>> AddAsync(
        long projectId, string environment, IReadOnlyDictionary<string, string> variables, CancellationToken cancellationToken = default)
    {
        var flagEnvironment = environment.ToLowerInvariant();
        var secrets = await store.Store.Secrets.GetSecretsAsync(projectId, environment, cancellationToken).ConfigureAwait(false);
        var key = secrets.GetValueOrDefault(KeyVariable);
        if (key is null || await store.Store.Flags.AuthenticateKeyAsync(key, cancellationToken).ConfigureAwait(false) is not { } valid
            || valid.ProjectId != projectId || valid.Environment != flagEnvironment)
        {
            var project = await store.Store.Projects.GetAsync(projectId, cancellationToken).ConfigureAwait(false);
            var target = $"project/{project?.Name}/environment/{flagEnvironment}";
            var created = await store.Store.Flags.CreateKeyAsync(projectId, flagEnvironment, "deployments", "shipgate",
                new NewAuditEntry { Actor = "shipgate", Action = "flag-key.create", Target = target + "/flag-key/deployments", Reason = "for the services deployed to it" },
                cancellationToken).ConfigureAwait(false);
            key = created.Key;
            await store.Store.Secrets.SetSecretAsync(projectId, environment, KeyVariable, key,
                new NewAuditEntry { Actor = "shipgate", Action = "secret.set", Target = $"{target}/{KeyVariable}" }, cancellationToken).ConfigureAwait(false);
        }

        var added = new Dictionary<string, string>(variables, StringComparer.Ordinal);
        added.TryAdd(UrlVariable, Address());
        added[KeyVariable] = key;
        return added;
    }

    /// <summary>The address the server listens on (a wildcard address reads as localhost), without a trailing slash.</summary>
    private string Address()
    {
        var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? "http://localhost:5080";
        foreach (var wildcard in (string[])["0.0.0.0", "[::]", "+", "*"])
        {
            address = address.Replace("://" + wildcard, "://localhost", StringComparison.Ordinal);
        }

        return address.TrimEnd('/');
    }
}
