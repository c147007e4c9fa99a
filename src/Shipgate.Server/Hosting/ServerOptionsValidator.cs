using Microsoft.Extensions.Options;

namespace Shipgate.Server.Hosting;

/// <summary>Checks <see cref="ServerOptions"/> at start and reports every problem at once, one sentence each.</summary>
internal sealed class ServerOptionsValidator : IValidateOptions<ServerOptions>
{
    public ValidateOptionsResult Validate(string? name, ServerOptions options)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(options.DataDirectory))
        {
            errors.Add("The data directory is empty; pass --data DIR or set SHIPGATE_DATA.");
        }

        if (options.Port is < 0 or > 65535)
        {
            errors.Add($"--port {options.Port} is not a TCP port (1-65535).");
        }

        if (options.EdgePort is < 0 or > 65535)
        {
            errors.Add($"--edge-port {options.EdgePort} is not a TCP port (1-65535).");
        }
        else if (options.EdgePort != 0 && options.EdgePort == options.Port)
        {
            errors.Add($"--port and --edge-port are both {options.Port}; the API and the edge need a port each.");
        }

        if (options.UiPort is < 0 or > 65535)
        {
            errors.Add($"--ui-port {options.UiPort} is not a TCP port (1-65535).");
        }
        else if (options.UiPort != 0 && (options.UiPort == options.Port || options.UiPort == options.EdgePort))
        {
            errors.Add($"--ui-port {options.UiPort} is also the {(options.UiPort == options.Port ? "API's (--port)" : "edge's (--edge-port)")} port; the web UI needs a port of its own.");
        }

        if (options.UiSessionLifetime < TimeSpan.FromMinutes(1))
        {
            errors.Add($"UiSessionLifetime {options.UiSessionLifetime} must be at least 1 minute.");
        }

        if (options.Database is { Length: > 0 } database && !IsKnownDatabase(database))
        {
            errors.Add("--db is neither a postgres:// URL, nor an Npgsql connection string with Host=, nor Data Source=PATH for SQLite.");
        }

        if (options.Edge.Admin is { Length: > 0 } admin
            && !(admin.StartsWith("unix:/", StringComparison.Ordinal) || (Uri.TryCreate(admin, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")))
        {
            errors.Add($"Shipgate:Edge:Admin '{admin}' is neither unix:/PATH (the edge's admin socket) nor http://HOST:PORT.");
        }

        if (options.Edge.TokenFile is { Length: > 0 } && string.IsNullOrWhiteSpace(options.Edge.Admin))
        {
            errors.Add("Shipgate:Edge:TokenFile is set without Shipgate:Edge:Admin; give the edge's admin address too.");
        }

        foreach (var address in options.Analysis.Prometheus.Where(a => !IsHttpAddress(a)))
        {
            errors.Add($"Shipgate:Analysis:Prometheus '{address}' is not an http:// or https:// address of a Prometheus server.");
        }

        if (options.RepositoryPollInterval <= TimeSpan.Zero || options.RepositoryPollInterval > TimeSpan.FromSeconds(1))
        {
            errors.Add($"RepositoryPollInterval {options.RepositoryPollInterval} must be more than 0 and at most 1 second.");
        }

        if (options.MaxConcurrentRuns < 1)
        {
            errors.Add($"MaxConcurrentRuns {options.MaxConcurrentRuns} must be at least 1.");
        }

        if (options.MaxRequestBodyBytes < 1024)
        {
            errors.Add($"MaxRequestBodyBytes {options.MaxRequestBodyBytes} must be at least 1024.");
        }

        if (options.MaxWebhookBodyBytes < 1024)
        {
            errors.Add($"MaxWebhookBodyBytes {options.MaxWebhookBodyBytes} must be at least 1024.");
        }

        if (options.WebhookDeliveryRetention < TimeSpan.FromHours(1))
        {
            errors.Add($"WebhookDeliveryRetention {options.WebhookDeliveryRetention} must be at least 1 hour.");
        }

        if (options.MaxStepLogBytes < 1000)
        {
            errors.Add($"MaxStepLogBytes {options.MaxStepLogBytes} must be at least 1000.");
        }

        if (options.ScheduleCatchUp < TimeSpan.Zero)
        {
            errors.Add($"ScheduleCatchUp {options.ScheduleCatchUp} cannot be negative.");
        }

        if (options.RunLease < TimeSpan.FromSeconds(1))
        {
            errors.Add($"RunLease {options.RunLease} must be at least 1 second.");
        }

        if (options.StepIsolation == StepIsolation.Sandbox && Engine.Sandbox.StepSandbox.FindProblem() is { } sandboxProblem)
        {
            errors.Add(sandboxProblem);
        }

        if (string.IsNullOrWhiteSpace(options.RunnerUser) || options.RunnerUser.Contains(':', StringComparison.Ordinal))
        {
            errors.Add($"RunnerUser '{options.RunnerUser}' is not a user name.");
        }

        if (options.ShutdownTimeout <= TimeSpan.Zero)
        {
            errors.Add($"ShutdownTimeout {options.ShutdownTimeout} must be more than 0.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static bool IsKnownDatabase(string database) =>
        database.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase)
        || database.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase)
        || database.Contains("Host=", StringComparison.OrdinalIgnoreCase)
        || database.StartsWith("Data Source=", StringComparison.OrdinalIgnoreCase);

    private static bool IsHttpAddress(string address) =>
        Uri.TryCreate(address, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https";
}
