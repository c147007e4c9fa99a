using System.Diagnostics.CodeAnalysis;
using Shipgate.Core.Workflows;
using Shipgate.Core.Yaml;

namespace Shipgate.Engine.LocalActions;

/// <summary>Reads an action.yml (or action.yaml) of a local action into an <see cref="ActionManifest"/>.</summary>
internal static class ActionManifestReader
{
    /// <summary>The action's directory: <paramref name="localPath"/> under the workspace, else under the repository.</summary>
    public static string? FindDirectory(string localPath, string workspace, string repository)
    {
        foreach (var root in (string[])[workspace, repository])
        {
            var directory = Path.GetFullPath(localPath, root);
            if (ManifestFile(directory) is not null)
            {
                return directory;
            }
        }

        return null;
    }

    public static bool TryRead(string directory, [NotNullWhen(true)] out ActionManifest? manifest, [NotNullWhen(false)] out string? error)
    {
        manifest = null;
        var file = ManifestFile(directory);
        if (file is null)
        {
            error = $"Can't find 'action.yml' or 'action.yaml' under '{directory}'.";
            return false;
        }

        var yaml = YamlLoader.LoadFile(file);
        if (yaml.HasErrors || yaml.Root is not MappingToken root)
        {
            error = yaml.Diagnostics.FirstOrDefault()?.ToString() ?? $"{file}: error: an action.yml must be a mapping.";
            return false;
        }

        if (root["runs"] is not MappingToken runs || runs["using"] is not ScalarToken usingToken)
        {
            error = $"{root.Location}: error: the action has no runs.using.";
            return false;
        }

        var kind = usingToken.Value.Trim().ToLowerInvariant();
        var steps = new List<StepDefinition>();
        if (kind == "composite")
        {
            if (runs["steps"] is not SequenceToken sequence)
            {
                error = $"{runs.Location}: error: a composite action needs runs.steps.";
                return false;
            }

            foreach (var item in sequence.Items)
            {
                if (item is not MappingToken stepMapping)
                {
                    error = $"{item.Location}: error: a step must be a mapping.";
                    return false;
                }

                steps.Add(ReadStep(stepMapping, steps.Count));
            }
        }

        manifest = new ActionManifest
        {
            Directory = directory,
            FilePath = file,
            Name = (root["name"] as ScalarToken)?.Value ?? Path.GetFileName(directory),
            Using = kind,
            Inputs = ReadInputs(root["inputs"] as MappingToken),
            Outputs = [.. ((root["outputs"] as MappingToken)?.Pairs ?? []).Select(p => new KeyValuePair<string, ScalarToken?>(p.Key.Value, (p.Value as MappingToken)?["value"] as ScalarToken))],
            Main = (runs["main"] as ScalarToken)?.Value,
            Pre = (runs["pre"] as ScalarToken)?.Value,
            PreIf = runs["pre-if"] as ScalarToken,
            Post = (runs["post"] as ScalarToken)?.Value,
            PostIf = runs["post-if"] as ScalarToken,
            Steps = steps,
        };
        error = null;
        return true;
    }

    private static string? ManifestFile(string directory)
    {
        foreach (var name in (string[])["action.yml", "action.yaml"])
        {
            var path = Path.Combine(directory, name);
            if (File.Exists(path))
            {
                return path;
            }
        }

        return null;
    }

    private static List<ActionInputDefinition> ReadInputs(MappingToken? inputs) =>
        [.. (inputs?.Pairs ?? []).Select(p => new ActionInputDefinition(
            p.Key.Value,
            (p.Value as MappingToken)?["default"] as ScalarToken,
            ((p.Value as MappingToken)?["required"] as ScalarToken)?.Value.Trim().Equals("true", StringComparison.OrdinalIgnoreCase) == true))];

    private static StepDefinition ReadStep(MappingToken step, int index) => new()
    {
        Index = index,
        Location = step.Location,
        Id = (step["id"] as ScalarToken)?.Value,
        Name = step["name"] as ScalarToken,
        If = step["if"] as ScalarToken,
        Run = step["run"] as ScalarToken,
        Shell = step["shell"] as ScalarToken,
        WorkingDirectory = step["working-directory"] as ScalarToken,
        Env = Pairs(step["env"]),
        Uses = step["uses"] as ScalarToken,
        With = Pairs(step["with"]),
        ContinueOnError = step["continue-on-error"] as ScalarToken,
        TimeoutMinutes = step["timeout-minutes"] as ScalarToken,
    };

    private static List<KeyValuePair<string, ScalarToken>> Pairs(TemplateToken? token) =>
        [.. ((token as MappingToken)?.Pairs ?? []).Where(p => p.Value is ScalarToken).Select(p => new KeyValuePair<string, ScalarToken>(p.Key.Value, (ScalarToken)p.Value))];
}
