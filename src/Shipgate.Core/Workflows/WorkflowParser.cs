using System.Text.RegularExpressions;
using Shipgate.Core.Diagnostics;
using Shipgate.Core.Yaml;

namespace Shipgate.Core.Workflows;

/// <summary>
/// Turns the token tree of a workflow file into a <see cref="WorkflowDefinition"/>, checking keys
/// and types as GitHub's workflow schema does. Every problem is collected (the parser never stops
/// at the first); semantic checks across the file are <see cref="Validation.WorkflowValidator"/>'s.
/// </summary>
internal sealed partial class WorkflowParser
{
    private static readonly string[] TopLevelKeys = ["name", "run-name", "on", "permissions", "env", "defaults", "concurrency", "jobs"];
    private static readonly string[] DefaultsKeys = ["run"];
    private static readonly string[] DefaultsRunKeys = ["shell", "working-directory"];
    private static readonly string[] ConcurrencyKeys = ["group", "cancel-in-progress"];

    private readonly string _filePath;
    private readonly TokenReader _reader;

    private WorkflowParser(string filePath, List<Diagnostic> diagnostics)
    {
        _filePath = filePath;
        _reader = new TokenReader(diagnostics);
    }

    /// <summary>Parses <paramref name="root"/>; null when it is not a workflow at all (empty, or not a mapping).</summary>
    public static WorkflowDefinition? Parse(TemplateToken? root, string filePath, List<Diagnostic> diagnostics) =>
        new WorkflowParser(filePath, diagnostics).ParseWorkflow(root);

    /// <summary>GitHub's rule for job, step and input ids: a letter or '_', then letters, digits, '-' or '_'.</summary>
    internal static bool IsValidId(string id) => IdRegex().IsMatch(id);

    private WorkflowDefinition? ParseWorkflow(TemplateToken? root)
    {
        if (root is null)
        {
            Error(new SourceLocation(_filePath, 1, 1), "the workflow file is empty; a workflow needs 'on' and 'jobs'");
            return null;
        }

        if (root is not MappingToken map)
        {
            Error(root.Location, $"a workflow must be a mapping with 'on' and 'jobs', not {root.KindName}");
            return null;
        }

        ScalarToken? name = null;
        ScalarToken? runName = null;
        WorkflowTriggers? on = null;
        IReadOnlyList<KeyValuePair<string, ScalarToken>> env = [];
        RunDefaults? defaults = null;
        ConcurrencyDefinition? concurrency = null;
        IReadOnlyList<JobDefinition>? jobs = null;
        foreach (var (key, value) in map.Pairs)
        {
            switch (key.Value)
            {
                case "name":
                    name = ReadString(value, "name", allowEmpty: true);
                    break;
                case "run-name":
                    runName = ReadString(value, "run-name");
                    break;
                case "on":
                    on = ReadTriggers(value);
                    break;
                case "permissions":
                    ReadPermissions(value, "permissions");
                    break;
                case "env":
                    env = ReadStringMap(value, "env");
                    break;
                case "defaults":
                    defaults = ReadDefaults(value, "defaults");
                    break;
                case "concurrency":
                    concurrency = ReadConcurrency(value, "concurrency");
                    break;
                case "jobs":
                    jobs = ReadJobs(value);
                    break;
                default:
                    UnknownKey(key, TopLevelKeys, "the workflow");
                    break;
            }
        }

        if (on is null)
        {
            Error(map.Location, "the workflow has no 'on' saying when it runs (e.g. 'on: push')");
        }

        if (jobs is null)
        {
            Error(map.Location, "the workflow has no 'jobs'");
        }

        return new WorkflowDefinition
        {
            FilePath = _filePath,
            Name = name,
            RunName = runName,
            On = on ?? new WorkflowTriggers(),
            Env = env,
            Defaults = defaults,
            Concurrency = concurrency,
            Jobs = jobs ?? [],
        };
    }

    private RunDefaults? ReadDefaults(TemplateToken token, string what)
    {
        var map = ReadMapping(token, what);
        if (map is null)
        {
            return null;
        }

        RunDefaults? defaults = null;
        foreach (var (key, value) in map.Pairs)
        {
            if (key.Value != "run")
            {
                UnknownKey(key, DefaultsKeys, what);
                continue;
            }

            var run = ReadMapping(value, $"{what}.run");
            if (run is null)
            {
                continue;
            }

            ScalarToken? shell = null;
            ScalarToken? workingDirectory = null;
            foreach (var (runKey, runValue) in run.Pairs)
            {
                switch (runKey.Value)
                {
                    case "shell":
                        shell = ReadShell(runValue, $"{what}.run.shell");
                        break;
                    case "working-directory":
                        workingDirectory = ReadString(runValue, $"{what}.run.working-directory");
                        break;
                    default:
                        UnknownKey(runKey, DefaultsRunKeys, $"{what}.run");
                        break;
                }
            }

            defaults = new RunDefaults { Shell = shell, WorkingDirectory = workingDirectory };
        }

        return defaults;
    }

    private ConcurrencyDefinition? ReadConcurrency(TemplateToken token, string what)
    {
        if (token is ScalarToken)
        {
            var group = ReadString(token, what);
            return group is null ? null : new ConcurrencyDefinition { Group = group };
        }

        var map = ReadMapping(token, what, nullIsEmpty: false, expected: "a group name or a mapping with 'group'");
        if (map is null)
        {
            return null;
        }

        ScalarToken? groupToken = null;
        ScalarToken? cancelInProgress = null;
        foreach (var (key, value) in map.Pairs)
        {
            switch (key.Value)
            {
                case "group":
                    groupToken = ReadString(value, $"{what}.group");
                    break;
                case "cancel-in-progress":
                    cancelInProgress = ReadBooleanOrExpression(value, $"{what}.cancel-in-progress");
                    break;
                default:
                    UnknownKey(key, ConcurrencyKeys, what);
                    break;
            }
        }

        if (groupToken is null)
        {
            if (map["group"] is null)
            {
                Error(map.Location, $"'{what}' needs a 'group'");
            }

            return null;
        }

        return new ConcurrencyDefinition { Group = groupToken, CancelInProgress = cancelInProgress };
    }

    /// <summary><c>permissions</c> are accepted and ignored (the host has no GITHUB_TOKEN); only the shape is checked.</summary>
    private void ReadPermissions(TemplateToken token, string what)
    {
        if (token is SequenceToken)
        {
            Error(token.Location, $"'{what}' must be 'read-all', 'write-all' or a mapping of scopes, not a sequence");
        }
    }

    private ScalarToken? ReadShell(TemplateToken token, string what)
    {
        var shell = ReadString(token, what);
        if (shell is not null && !shell.HasExpression && !KnownShells.Contains(shell.Value, StringComparer.Ordinal)
            && !shell.Value.Contains("{0}", StringComparison.Ordinal))
        {
            Error(shell.Location, $"unknown shell '{shell.Value}'; use bash, sh, pwsh, python, or a command with {{0}} such as 'perl {{0}}'");
        }

        return shell;
    }

    private void Error(SourceLocation at, string message) => _reader.Error(at, message);

    private void UnknownKey(ScalarToken key, IReadOnlyList<string> allowed, string where) =>
        _reader.UnknownKey(key, allowed, where == "the workflow" ? where : $"'{where}'");

    private MappingToken? ReadMapping(TemplateToken token, string what, bool nullIsEmpty = true, string expected = "a mapping") =>
        _reader.ReadMapping(token, what, nullIsEmpty, expected);

    private ScalarToken? ReadString(TemplateToken token, string what, bool allowEmpty = false) => _reader.ReadString(token, what, allowEmpty);

    private List<ScalarToken>? ReadStringList(TemplateToken token, string what) => _reader.ReadStringList(token, what);

    /// <summary>A mapping of names to strings (env, outputs, with).</summary>
    private List<KeyValuePair<string, ScalarToken>> ReadStringMap(TemplateToken token, string what)
    {
        var pairs = new List<KeyValuePair<string, ScalarToken>>();
        var map = ReadMapping(token, what);
        if (map is null)
        {
            return pairs;
        }

        foreach (var (key, value) in map.Pairs)
        {
            if (ReadString(value, $"{what}.{key.Value}", allowEmpty: true) is { } scalar)
            {
                pairs.Add(new KeyValuePair<string, ScalarToken>(key.Value, scalar));
            }
        }

        return pairs;
    }

    private ScalarToken? ReadNumberOrExpression(TemplateToken token, string what)
    {
        var scalar = ReadString(token, what);
        if (scalar is null || scalar.HasExpression)
        {
            return scalar;
        }

        if (!scalar.TryGetNumber(out var number) || double.IsNaN(number) || number < 0)
        {
            Error(scalar.Location, $"'{what}' must be a number or an expression, not '{scalar.Value}'");
            return null;
        }

        return scalar;
    }

    private ScalarToken? ReadBooleanOrExpression(TemplateToken token, string what)
    {
        var scalar = ReadString(token, what);
        if (scalar is null || scalar.HasExpression)
        {
            return scalar;
        }

        if (!scalar.TryGetBoolean(out _))
        {
            Error(scalar.Location, $"'{what}' must be true, false or an expression, not '{scalar.Value}'");
            return null;
        }

        return scalar;
    }

    private bool? ReadBoolean(TemplateToken token, string what) => _reader.ReadBoolean(token, what);

    /// <summary>Reports an expression where GitHub does not evaluate one (uses, needs, ids).</summary>
    private void NoExpression(ScalarToken token, string what)
    {
        var at = token.Value.IndexOf("${{", StringComparison.Ordinal);
        if (at >= 0)
        {
            Error(token.GetLocation(at), $"'{what}' cannot contain an expression");
        }
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex IdRegex();
}
