namespace Shipgate.Server;

/// <summary>
/// How <c>shipgate up</c> runs. Bound from the <c>Shipgate</c> configuration section (and the command's
/// options) and validated when the server starts, every error reported at once.
/// </summary>
public sealed class ServerOptions
{
    /// <summary>The configuration section the options are bound from.</summary>
    public const string SectionName = "Shipgate";

    /// <summary>
    /// Where the store, run logs, artifacts and <c>admin.token</c> live. Default: <c>SHIPGATE_DATA</c>, else
    /// <c>$XDG_DATA_HOME/shipgate</c>, else <c>~/.local/share/shipgate</c> (see <see cref="DefaultDataDirectory"/>).
    /// </summary>
    public string? DataDirectory { get; set; }

    /// <summary>The API's port on 127.0.0.1. Default 5080; 0 picks a free port (tests).</summary>
    public int Port { get; set; } = 5080;

    /// <summary>The web UI's port on 127.0.0.1 (the UI answers only there, the API only on <see cref="Port"/>). Default 5081; 0 picks a free port (tests).</summary>
    public int UiPort { get; set; } = 5081;

    /// <summary>How long a web UI session lasts after sign-in. Default 12 hours; at least 1 minute.</summary>
    public TimeSpan UiSessionLifetime { get; set; } = TimeSpan.FromHours(12);

    /// <summary>The port the edge (the data plane, a later issue) serves deployed services on. Default 8080.</summary>
    public int EdgePort { get; set; } = 8080;

    /// <summary>
    /// The store: null for SQLite in the data directory; a <c>postgres://</c> URL or an Npgsql string with
    /// <c>Host=</c> for PostgreSQL. Default: <c>SHIPGATE_DB</c>, else null.
    /// </summary>
    public string? Database { get; set; }

    /// <summary>Registers the bundled sample service and runs its pipeline at start. Default false.</summary>
    public bool Demo { get; set; }

    /// <summary>How often watched local repositories are polled for new commits. Default 500 ms (at most 1 s).</summary>
    public TimeSpan RepositoryPollInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// Runs in progress at the same time in this server; the others wait queued. Default 64: a run waiting
    /// for an approval counts, and costs little, while the engine limits the steps running at once to the
    /// host's cores.
    /// </summary>
    public int MaxConcurrentRuns { get; set; } = 64;

    /// <summary>The largest request body the API accepts (JSON calls). Default 1 MiB.</summary>
    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>The largest webhook body accepted; larger ones get 413. Default 5 MiB (GitHub caps payloads at 25 MB).</summary>
    public long MaxWebhookBodyBytes { get; set; } = 5 * 1024 * 1024;

    /// <summary>
    /// How long webhook deliveries are remembered, by id and by the SHA-256 of their body, to refuse replays.
    /// Default 7 days (GitHub offers redeliveries for 3 days); at least 1 hour. Older ones are pruned.
    /// </summary>
    public TimeSpan WebhookDeliveryRetention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// The most output a step's log keeps, in bytes; past it the rest is dropped with one note saying how much,
    /// and the step goes on. Default 100 MB; at least 1 KB.
    /// </summary>
    public long MaxStepLogBytes { get; set; } = 100L * 1000 * 1000;

    /// <summary>
    /// How far back a schedule looks for a slot it has not fired yet when the server starts, so a slot
    /// missed during a short restart still fires (once: fires are recorded). Default 2 minutes.
    /// </summary>
    public TimeSpan ScheduleCatchUp { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// How long a run's claim lasts without renewal (renewed every third of it while the run lasts). When
    /// a server dies, its runs are resumed by a running server once their lease expires, so this is how
    /// long a crashed server's runs wait at most (plus a scan of at most 5 s). Default 15 s; at least 1 s.
    /// </summary>
    public TimeSpan RunLease { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// How steps run. Default <see cref="StepIsolation.Sandbox"/>: every process of a job in a bubblewrap sandbox that
    /// hides the data directory and the server's environment, as <see cref="RunnerUser"/> when the server is root.
    /// <see cref="StepIsolation.None"/> runs them as the server's user with its environment, able to read the data
    /// directory (admin.token, secret.key, the store): only for hosts without bubblewrap, and said at every start.
    /// </summary>
    public StepIsolation StepIsolation { get; set; } = StepIsolation.Sandbox;

    /// <summary>
    /// The unprivileged user steps run as when the server runs as root; created (useradd --system) when missing.
    /// Default <c>shipgate-runner</c>. A server started by an ordinary user runs steps as that user.
    /// </summary>
    public string RunnerUser { get; set; } = Engine.Sandbox.StepSandbox.DefaultRunnerUser;

    /// <summary>The edge that <c>shipgate/deploy</c> drives, from <c>Shipgate:Edge:Admin</c> and <c>Shipgate:Edge:TokenFile</c>. Default none.</summary>
    public EdgeOptions Edge { get; set; } = new();

    /// <summary>What a canary's analysis may reach beyond the edge, from <c>Shipgate:Analysis</c>. Default nothing.</summary>
    public AnalysisOptions Analysis { get; set; } = new();

    /// <summary>How long a stop waits for in-flight runs to finish cancelling. Default 30 s.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The data directory used when none is given: <c>SHIPGATE_DATA</c>, <c>$XDG_DATA_HOME/shipgate</c> or <c>~/.local/share/shipgate</c>.</summary>
    public static string DefaultDataDirectory()
    {
        if (Environment.GetEnvironmentVariable("SHIPGATE_DATA") is { Length: > 0 } data)
        {
            return Path.GetFullPath(data);
        }

        if (Environment.GetEnvironmentVariable("XDG_DATA_HOME") is { Length: > 0 } xdg)
        {
            return Path.Combine(Path.GetFullPath(xdg), "shipgate");
        }

        return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share", "shipgate");
    }
}
