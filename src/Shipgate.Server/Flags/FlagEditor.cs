using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Shipgate.Flags;
using Shipgate.Flags.Document;
using Shipgate.Storage.Audit;
using Shipgate.Storage.Flags;

namespace Shipgate.Server.Flags;

/// <summary>
/// The edits the API makes to an environment's flag document, as pure functions of the stored document: each checks the
/// whole new document with the library's compiler (<see cref="FlagConfiguration.Compile"/>) and, when it is valid,
/// gives it with its audit entry (the flag before and after); otherwise nothing is written and the library's sentence
/// is the answer.
/// </summary>
internal static class FlagEditor
{
    /// <summary>What an environment without flags serves.</summary>
    public const string EmptyDocument = """{"version":1,"flags":[]}""";

    /// <summary>A change to one flag: given the document and the flag (null when absent), it changes the document or gives a refusal.</summary>
    public delegate FlagEditResult? Change(FlagDocument document, FlagDefinition? flag);

    public static FlagDocument Read(string? json) =>
        json is null ? new FlagDocument { Version = 1, Flags = [] } : JsonSerializer.Deserialize(json, FlagJsonContext.Default.FlagDocument)!;

    public static string Write(FlagDocument document) => JsonSerializer.Serialize(document, FlagJsonContext.Default.FlagDocument);

    public static string Write(FlagDefinition flag) => JsonSerializer.Serialize(flag, FlagJsonContext.Default.FlagDefinition);

    /// <summary>
    /// Applies <paramref name="change"/> to the flag <paramref name="key"/> of <paramref name="current"/> and checks the result;
    /// the edit to store (with <paramref name="audit"/> completed by the flag before and after) or the refusal.
    /// </summary>
    public static FlagEdit<FlagEditResult> Apply(string? current, string key, NewAuditEntry audit, Change change)
    {
        var document = Read(current);
        document.Flags ??= [];
        var flag = document.Flags.Find(f => f.Key == key);
        var before = flag is null ? null : Write(flag);
        if (change(document, flag) is { } refusal)
        {
            return new(null, null, refusal);
        }

        var after = document.Flags.Find(f => f.Key == key);
        var index = after is null ? -1 : document.Flags.IndexOf(after);
        var compiled = FlagConfiguration.Compile(document);
        if (compiled.Errors.Count > 0)
        {
            var prefix = $"$.flags[{index}]";
            var errors = compiled.Errors.Select(e => e.StartsWith(prefix, StringComparison.Ordinal) ? "$" + e[prefix.Length..] : e).ToList();
            var more = errors.Count > 1 ? $" (and {errors.Count - 1} more problem{(errors.Count > 2 ? "s" : "")})" : "";
            return new(null, null, new(StatusCodes.Status400BadRequest, $"The flag '{key}' is not valid: {errors[0]}{more}", null));
        }

        var json = after is null ? null : Write(after);
        return new(Write(document), audit with { BeforeJson = before, AfterJson = json }, new(StatusCodes.Status200OK, null, json));
    }

    /// <summary>Adds <paramref name="created"/>; a conflict when the key is taken.</summary>
    public static Change Create(FlagDefinition created) => (document, flag) =>
    {
        if (flag is not null)
        {
            return new(StatusCodes.Status409Conflict, $"There is a flag '{created.Key}' already; replace it with 'shipgate flag set'.", null);
        }

        document.Flags!.Add(created);
        return null;
    };

    /// <summary>Replaces the flag with <paramref name="replacement"/>, keeping its place in the order.</summary>
    public static Change Replace(FlagDefinition replacement) => (document, flag) =>
    {
        if (flag is null)
        {
            return NotFound(replacement.Key!);
        }

        document.Flags![document.Flags.IndexOf(flag)] = replacement;
        return null;
    };

    public static Change SetEnabled(string key, bool enabled) => (_, flag) =>
    {
        if (flag is null)
        {
            return NotFound(key);
        }

        flag.Enabled = enabled;
        return null;
    };

    /// <summary>
    /// Sets the percentage of the flag's rollout rule: its first rule with a rollout and neither targets nor constraints.
    /// When it has none, one is appended over every variant but the default (all of them when that leaves none), equally
    /// weighted, so that for an on/off flag the percentage is the share of users who get it on.
    /// </summary>
    public static Change SetRollout(string key, double percentage) => (_, flag) =>
    {
        if (flag is null)
        {
            return NotFound(key);
        }

        if (!double.IsFinite(percentage) || percentage is < 0 or > 100)
        {
            return new(StatusCodes.Status400BadRequest, $"The percentage is {percentage}; it must be between 0 and 100.", null);
        }

        flag.Rules ??= [];
        var rule = RolloutRule(flag);
        if (rule is null)
        {
            var names = flag.Variants?.Keys.Where(v => v != flag.DefaultVariant).ToList() ?? [];
            rule = new FlagRule
            {
                Name = "rollout",
                Rollout = new FlagRollout
                {
                    Variants = [.. (names.Count > 0 ? names : flag.Variants?.Keys.ToList() ?? []).Select(n => new FlagRolloutVariant { Name = n })],
                },
            };
            flag.Rules.Add(rule);
        }

        rule.Rollout!.Percentage = percentage;
        return null;
    };

    /// <summary>The flag's rollout rule: its first rule with a rollout and neither targets nor constraints; null when it has none.</summary>
    public static FlagRule? RolloutRule(FlagDefinition flag) =>
        flag.Rules?.Find(r => r.Rollout is not null && r.Targets is not { Count: > 0 } && r.Constraints is not { Count: > 0 });

    /// <summary>Puts the file's definition back in place of the flag (or back at the end, when it was deleted).</summary>
    public static Change Reset(FlagDefinition file) => (document, flag) =>
    {
        if (flag is null)
        {
            document.Flags!.Add(file);
        }
        else
        {
            document.Flags![document.Flags.IndexOf(flag)] = file;
        }

        return null;
    };

    public static Change Delete(string key) => (document, flag) =>
    {
        if (flag is null)
        {
            return NotFound(key);
        }

        document.Flags!.Remove(flag);
        return null;
    };

    private static FlagEditResult NotFound(string key) => new(StatusCodes.Status404NotFound, $"There is no flag '{key}'.", null);
}
