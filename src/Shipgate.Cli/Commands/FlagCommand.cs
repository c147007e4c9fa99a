using System.CommandLine;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Shipgate.Cli.Run;
using Shipgate.Flags.Document;
using Shipgate.Server.Api;
using Shipgate.Server.Client;

namespace Shipgate.Cli.Commands;

/// <summary>
/// <c>shipgate flag list|get|create|set|enable|disable|reset|rollout|delete [KEY] --project P --env ENV</c>: an environment's
/// feature flags (docs/flags.md), and <c>shipgate flag key create|list|revoke</c>, its client keys. The server checks
/// every change with the flag library and audits it; the CLI only builds the flag from its options.
/// </summary>
internal static class FlagCommand
{
    private static readonly JsonSerializerOptions Indented = new(FlagJsonContext.Default.Options) { WriteIndented = true };

    public static Command Create()
    {
        var command = new Command("flag", "Feature flags of an environment: turn features on for some users or a percentage, without a deploy.");
        command.Subcommands.Add(CreateList());
        command.Subcommands.Add(CreateGet());
        command.Subcommands.Add(CreateCreate());
        command.Subcommands.Add(CreateSet());
        command.Subcommands.Add(CreateSwitch("enable", "Turn a flag on: its rules decide again.", "enable"));
        command.Subcommands.Add(CreateSwitch("disable", "Turn a flag off: everyone gets its off variant.", "disable"));
        command.Subcommands.Add(CreateSwitch("reset", "Put the definition of shipgate.yml on the protected branch back: the flag no longer drifts.", "reset"));
        command.Subcommands.Add(CreateRollout());
        command.Subcommands.Add(CreateDelete());
        command.Subcommands.Add(CreateKeys());
        return command;
    }

    private sealed record Scope(Option<string?> Project, Option<string> Environment)
    {
        public static Scope Create() => new(
            new Option<string?>("--project") { Description = "The project. Default: the server's only project." },
            new Option<string>("--env") { Description = "The environment whose flags these are.", Required = true });

        public async Task<string> PathAsync(ShipgateApiClient client, ParseResult parse, string collection, CancellationToken cancellationToken)
        {
            var project = await ServerConnection.ProjectAsync(client, parse.GetValue(Project), cancellationToken).ConfigureAwait(false);
            return $"api/v1/projects/{Uri.EscapeDataString(project)}/environments/{Uri.EscapeDataString(parse.GetValue(Environment)!)}/{collection}";
        }
    }

    private static Argument<string> KeyArgument() => new("key") { Description = "The flag's key, e.g. new-checkout." };

    private static Command CreateList()
    {
        var scope = Scope.Create();
        var json = new Option<bool>("--json") { Description = "Print the environment's flag document (JSON)." };
        var command = new Command("list", "List an environment's flags.") { scope.Project, scope.Environment, json };
        command.SetAction((parse, cancellationToken) => ServerConnection.RunAsync(async client =>
        {
            var document = await client.SendAsync(HttpMethod.Get, await scope.PathAsync(client, parse, "flags", cancellationToken).ConfigureAwait(false), null,
                FlagJsonContext.Default.FlagDocument, cancellationToken).ConfigureAwait(false);
            if (parse.GetValue(json))
            {
                Console.Out.WriteLine(JsonSerializer.Serialize(document, FlagJsonContext.Default.FlagDocument));
                return CliHost.Success;
            }

            var drift = await DriftAsync(client, scope, parse, cancellationToken).ConfigureAwait(false);
            TextTable.Write(Console.Out, ["KEY", "TYPE", "STATE", "DEFAULT", "RULES", "ROLLOUT", "DRIFT"], (document.Flags ?? []).Select(f => new[]
            {
                f.Key ?? "",
                f.Type ?? "",
                f.Enabled ? "on" : "off",
                f.DefaultVariant ?? "",
                (f.Rules?.Count ?? 0).ToString(CultureInfo.InvariantCulture),
                Rollout(f) is { } percentage ? percentage.ToString(CultureInfo.InvariantCulture) + "%" : "-",
                drift.FirstOrDefault(d => d.Key == f.Key) is not { } d ? "-" : d.Drift ? "yes: " + string.Join(", ", d.Differences) : "no",
            }));
            return CliHost.Success;
        }));
        return command;
    }

    private static Command CreateGet()
    {
        var key = KeyArgument();
        var scope = Scope.Create();
        var json = new Option<bool>("--json") { Description = "Print the flag as one line of JSON." };
        var command = new Command("get", "Show a flag: its variants, default, state and rules.") { key, scope.Project, scope.Environment, json };
        command.SetAction((parse, cancellationToken) => ServerConnection.RunAsync(async client =>
        {
            var flag = await GetAsync(client, await scope.PathAsync(client, parse, "flags", cancellationToken).ConfigureAwait(false), parse.GetValue(key)!, cancellationToken)
                .ConfigureAwait(false);
            if (parse.GetValue(json))
            {
                Console.Out.WriteLine(JsonSerializer.Serialize(flag, FlagJsonContext.Default.FlagDefinition));
                return CliHost.Success;
            }

            Console.Out.WriteLine(JsonSerializer.Serialize(flag, (System.Text.Json.Serialization.Metadata.JsonTypeInfo<FlagDefinition>)Indented.GetTypeInfo(typeof(FlagDefinition))));
            var drift = (await DriftAsync(client, scope, parse, cancellationToken).ConfigureAwait(false)).FirstOrDefault(d => d.Key == flag.Key);
            Console.Out.WriteLine(drift switch
            {
                null => "Not in shipgate.yml: set at run time only.",
                { Drift: false } => "As shipgate.yml on the protected branch defines it.",
                _ => $"Drifted from shipgate.yml at run time: {string.Join(", ", drift.Differences)} differ"
                    + $" ('shipgate flag reset {flag.Key} --env {parse.GetValue(scope.Environment)}' puts the file's definition back).",
            });
            return CliHost.Success;
        }));
        return command;
    }

    private static Command CreateCreate()
    {
        var (key, scope, options) = (KeyArgument(), Scope.Create(), FlagOptions.Create());
        var command = new Command("create", "Create a flag (by default a boolean flag with the variants on and off, off by default).") { key, scope.Project, scope.Environment };
        options.AddTo(command);
        command.SetAction((parse, cancellationToken) =>
        {
            var flag = options.Build(parse, new FlagDefinition { Key = parse.GetValue(key) });
            return ServerConnection.RunAsync(async client =>
            {
                var path = await scope.PathAsync(client, parse, "flags", cancellationToken).ConfigureAwait(false);
                await client.SendAsync(HttpMethod.Post, path, JsonContent.Create(flag, FlagJsonContext.Default.FlagDefinition), FlagJsonContext.Default.FlagDefinition, cancellationToken)
                    .ConfigureAwait(false);
                await RolloutIfAskedAsync(client, path, flag.Key!, parse.GetValue(options.Percent), cancellationToken).ConfigureAwait(false);
                Console.Error.WriteLine($"shipgate: created flag {flag.Key} in {parse.GetValue(scope.Environment)}.");
                return CliHost.Success;
            });
        });
        return command;
    }

    private static Command CreateSet()
    {
        var (key, scope, options) = (KeyArgument(), Scope.Create(), FlagOptions.Create());
        var command = new Command("set", "Change a flag: the options given replace those parts of it.") { key, scope.Project, scope.Environment };
        options.AddTo(command);
        command.SetAction((parse, cancellationToken) => ServerConnection.RunAsync(async client =>
        {
            var path = await scope.PathAsync(client, parse, "flags", cancellationToken).ConfigureAwait(false);
            var flag = options.Build(parse, await GetAsync(client, path, parse.GetValue(key)!, cancellationToken).ConfigureAwait(false));
            await client.SendAsync(HttpMethod.Put, $"{path}/{Uri.EscapeDataString(flag.Key!)}", JsonContent.Create(flag, FlagJsonContext.Default.FlagDefinition),
                FlagJsonContext.Default.FlagDefinition, cancellationToken).ConfigureAwait(false);
            await RolloutIfAskedAsync(client, path, flag.Key!, parse.GetValue(options.Percent), cancellationToken).ConfigureAwait(false);
            Console.Error.WriteLine($"shipgate: changed flag {flag.Key} in {parse.GetValue(scope.Environment)}.");
            return CliHost.Success;
        }));
        return command;
    }

    private static Command CreateSwitch(string name, string description, string verb)
    {
        var (key, scope) = (KeyArgument(), Scope.Create());
        var command = new Command(name, description) { key, scope.Project, scope.Environment };
        command.SetAction((parse, cancellationToken) => ServerConnection.RunAsync(async client =>
        {
            var path = await scope.PathAsync(client, parse, "flags", cancellationToken).ConfigureAwait(false);
            await client.SendAsync(HttpMethod.Post, $"{path}/{Uri.EscapeDataString(parse.GetValue(key)!)}/{verb}", null, FlagJsonContext.Default.FlagDefinition, cancellationToken)
                .ConfigureAwait(false);
            Console.Error.WriteLine($"shipgate: {(verb.EndsWith('e') ? verb + "d" : verb)} flag {parse.GetValue(key)} in {parse.GetValue(scope.Environment)}.");
            return CliHost.Success;
        }));
        return command;
    }

    private static Command CreateRollout()
    {
        var (key, scope) = (KeyArgument(), Scope.Create());
        var percent = new Option<double>("--percent") { Description = "The share of users (0 to 100) the flag's rollout rule reaches.", Required = true };
        var command = new Command("rollout", "Set the percentage of a flag's rollout (a rule over its non-default variants is added when it has none).")
        {
            key, scope.Project, scope.Environment, percent,
        };
        command.SetAction((parse, cancellationToken) => ServerConnection.RunAsync(async client =>
        {
            var path = await scope.PathAsync(client, parse, "flags", cancellationToken).ConfigureAwait(false);
            await RolloutIfAskedAsync(client, path, parse.GetValue(key)!, parse.GetValue(percent), cancellationToken).ConfigureAwait(false);
            Console.Error.WriteLine($"shipgate: flag {parse.GetValue(key)} in {parse.GetValue(scope.Environment)} now rolls out to {parse.GetValue(percent).ToString(CultureInfo.InvariantCulture)}%.");
            return CliHost.Success;
        }));
        return command;
    }

    private static Command CreateDelete()
    {
        var (key, scope) = (KeyArgument(), Scope.Create());
        var command = new Command("delete", "Delete a flag: clients asking for it get their default value.") { key, scope.Project, scope.Environment };
        command.SetAction((parse, cancellationToken) => ServerConnection.RunAsync(async client =>
        {
            var path = await scope.PathAsync(client, parse, "flags", cancellationToken).ConfigureAwait(false);
            await client.SendAsync(HttpMethod.Delete, $"{path}/{Uri.EscapeDataString(parse.GetValue(key)!)}", null, cancellationToken).ConfigureAwait(false);
            Console.Error.WriteLine($"shipgate: deleted flag {parse.GetValue(key)} in {parse.GetValue(scope.Environment)}.");
            return CliHost.Success;
        }));
        return command;
    }

    private static Command CreateKeys()
    {
        var command = new Command("key", "Client keys: what a service presents to read one environment's flags (OFREP, the flag document).");

        var scope = Scope.Create();
        var name = new Option<string?>("--name") { Description = "What the key is for, e.g. the service using it. Default: client." };
        var create = new Command("create", "Create a client key; prints it as the last line (shown once).") { scope.Project, scope.Environment, name };
        create.SetAction((parse, cancellationToken) => ServerConnection.RunAsync(async client =>
        {
            var key = await client.SendAsync(HttpMethod.Post, await scope.PathAsync(client, parse, "flag-keys", cancellationToken).ConfigureAwait(false),
                JsonContent.Create(new FlagKeyCreateRequest(parse.GetValue(name)), ApiJsonContext.Default.FlagKeyCreateRequest), ApiJsonContext.Default.FlagKeyResponse, cancellationToken)
                .ConfigureAwait(false);
            Console.Error.WriteLine($"shipgate: created client key {key.Id} ({key.Name}) reading the flags of {key.Project}/{key.Environment}; "
                + $"revoke it with 'shipgate flag key revoke {key.Id} --project {key.Project} --env {key.Environment}'.");
            Console.Out.WriteLine(key.Key);
            return CliHost.Success;
        }));
        command.Subcommands.Add(create);

        var listScope = Scope.Create();
        var json = new Option<bool>("--json") { Description = "Print JSON." };
        var list = new Command("list", "List an environment's client keys (never the keys themselves).") { listScope.Project, listScope.Environment, json };
        list.SetAction((parse, cancellationToken) => ServerConnection.RunAsync(async client =>
        {
            var keys = await client.SendAsync(HttpMethod.Get, await listScope.PathAsync(client, parse, "flag-keys", cancellationToken).ConfigureAwait(false), null,
                ApiJsonContext.Default.FlagKeyResponseArray, cancellationToken).ConfigureAwait(false);
            if (parse.GetValue(json))
            {
                Console.Out.WriteLine(JsonSerializer.Serialize(keys, ApiJsonContext.Default.FlagKeyResponseArray));
                return CliHost.Success;
            }

            TextTable.Write(Console.Out, ["ID", "NAME", "PREFIX", "CREATED BY", "CREATED", "REVOKED"], keys.Select(k => new[]
            {
                k.Id.ToString(CultureInfo.InvariantCulture),
                k.Name,
                k.Prefix + "…",
                k.CreatedBy,
                k.CreatedAt.ToString("u", CultureInfo.InvariantCulture),
                k.RevokedAt?.ToString("u", CultureInfo.InvariantCulture) ?? "-",
            }));
            return CliHost.Success;
        }));
        command.Subcommands.Add(list);

        var revokeScope = Scope.Create();
        var id = new Argument<long>("id") { Description = "The key's id (see 'shipgate flag key list')." };
        var revoke = new Command("revoke", "Revoke a client key: it reads nothing from the next request on.") { id, revokeScope.Project, revokeScope.Environment };
        revoke.SetAction((parse, cancellationToken) => ServerConnection.RunAsync(async client =>
        {
            var path = await revokeScope.PathAsync(client, parse, "flag-keys", cancellationToken).ConfigureAwait(false);
            await client.SendAsync(HttpMethod.Delete, $"{path}/{parse.GetValue(id)}", null, cancellationToken).ConfigureAwait(false);
            Console.Error.WriteLine($"shipgate: revoked client key {parse.GetValue(id)}.");
            return CliHost.Success;
        }));
        command.Subcommands.Add(revoke);
        return command;
    }

    /// <summary>How the flags of shipgate.yml differ from the environment's, for the ones the file defines.</summary>
    private static async Task<FlagDriftResponse[]> DriftAsync(ShipgateApiClient client, Scope scope, ParseResult parse, CancellationToken cancellationToken) =>
        await client.SendAsync(HttpMethod.Get, await scope.PathAsync(client, parse, "flag-drift", cancellationToken).ConfigureAwait(false), null,
            ApiJsonContext.Default.FlagDriftResponseArray, cancellationToken).ConfigureAwait(false);

    private static Task<FlagDefinition> GetAsync(ShipgateApiClient client, string path, string key, CancellationToken cancellationToken) =>
        client.SendAsync(HttpMethod.Get, $"{path}/{Uri.EscapeDataString(key)}", null, FlagJsonContext.Default.FlagDefinition, cancellationToken);

    private static async Task RolloutIfAskedAsync(ShipgateApiClient client, string path, string key, double? percent, CancellationToken cancellationToken)
    {
        if (percent is { } value)
        {
            await client.SendAsync(HttpMethod.Put, $"{path}/{Uri.EscapeDataString(key)}/rollout",
                JsonContent.Create(new FlagRolloutRequest(value), ApiJsonContext.Default.FlagRolloutRequest), FlagJsonContext.Default.FlagDefinition, cancellationToken)
                .ConfigureAwait(false);
        }
    }

    /// <summary>The percentage of the flag's rollout rule (the first rollout for everyone), if it has one.</summary>
    private static double? Rollout(FlagDefinition flag) =>
        flag.Rules?.Find(r => r.Rollout is not null && r.Targets is not { Count: > 0 } && r.Constraints is not { Count: > 0 })?.Rollout?.Percentage;

    /// <summary>The options that build a flag: --type, --variant NAME=VALUE, --default, --file, --percent.</summary>
    private sealed record FlagOptions(Option<string?> Type, Option<string[]> Variants, Option<string?> Default, Option<FileInfo?> File, Option<double?> Percent)
    {
        public static FlagOptions Create()
        {
            var type = new Option<string?>("--type") { Description = "boolean (the default for a new flag), string, number or object." };
            type.AcceptOnlyFromAmong("boolean", "string", "number", "object");
            return new(
                type,
                new Option<string[]>("--variant") { Description = "A variant as NAME=VALUE, the value of the flag's type (repeatable). Default for boolean: on=true, off=false." },
                new Option<string?>("--default") { Description = "The variant served when no rule matches. Default: off for boolean, else the first variant." },
                new Option<FileInfo?>("--file") { Description = "A JSON file with the flag's rules (an array), or the whole flag (an object) in the format of docs/flags.md." },
                new Option<double?>("--percent") { Description = "Also set the flag's rollout percentage (0 to 100)." });
        }

        public void AddTo(Command command)
        {
            command.Options.Add(Type);
            command.Options.Add(Variants);
            command.Options.Add(Default);
            command.Options.Add(File);
            command.Options.Add(Percent);
        }

        /// <summary>Applies the options to <paramref name="flag"/>; a bad value is a <see cref="UserInputException"/> naming it.</summary>
        public FlagDefinition Build(ParseResult parse, FlagDefinition flag)
        {
            if (parse.GetValue(File) is { } file)
            {
                flag = ReadFile(file, flag);
            }

            flag.Type = parse.GetValue(Type) ?? flag.Type ?? "boolean";
            var given = KeyValueArguments.Parse(parse.GetValue(Variants) ?? [], "--variant");
            if (flag.Variants is null && given.Count == 0 && flag.Type == "boolean")
            {
                given = [new("on", "true"), new("off", "false")];
                flag.DefaultVariant ??= "off";
            }

            flag.Variants ??= [];
            foreach (var (name, value) in given)
            {
                flag.Variants[name] = Value(flag.Type, name, value);
            }

            flag.DefaultVariant = parse.GetValue(Default) ?? flag.DefaultVariant ?? flag.Variants.Keys.FirstOrDefault();
            return flag;
        }

        private static FlagDefinition ReadFile(FileInfo file, FlagDefinition flag)
        {
            string text;
            try
            {
                text = System.IO.File.ReadAllText(file.FullName);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new UserInputException($"{file.FullName}: cannot be read ({ex.Message})");
            }

            try
            {
                if (text.TrimStart().StartsWith('['))
                {
                    flag.Rules = JsonSerializer.Deserialize(text, FlagJsonContext.Default.ListFlagRule);
                    return flag;
                }

                var whole = JsonSerializer.Deserialize(text, FlagJsonContext.Default.FlagDefinition)
                    ?? throw new UserInputException($"{file.FullName}:1:1: the file holds null, not a flag or its rules.");
                whole.Key ??= flag.Key;
                return whole.Key == flag.Key
                    ? whole
                    : throw new UserInputException($"{file.FullName}: the flag's key '{whole.Key}' is not '{flag.Key}'.");
            }
            catch (JsonException ex)
            {
                var what = ex.Message.Contains("could not be mapped", StringComparison.Ordinal) ? $"{ex.Path} is not part of the flag format (docs/flags.md)"
                    : ex.Message.Contains("could not be converted", StringComparison.Ordinal) ? $"{ex.Path} has the wrong type"
                    : "the JSON is malformed";
                throw new UserInputException($"{file.FullName}:{(ex.LineNumber ?? 0) + 1}:{(ex.BytePositionInLine ?? 0) + 1}: {what}.");
            }
        }

        private static JsonElement Value(string type, string name, string text)
        {
            var json = type switch
            {
                "boolean" when text is "true" or "false" => text,
                "number" when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number) => number.ToString("R", CultureInfo.InvariantCulture),
                "string" => JsonSerializer.Serialize(text, ApiJsonContext.Default.String),
                "object" when IsObject(text) => text,
                _ => throw new UserInputException($"The variant '{name}' has the value '{text}', which is not {type switch
                {
                    "boolean" => "a boolean (true or false)",
                    "number" => "a number",
                    "object" => "a JSON object or array",
                    _ => "a " + type,
                }}."),
            };
            using var document = JsonDocument.Parse(json);
            return document.RootElement.Clone();
        }

        private static bool IsObject(string text)
        {
            try
            {
                using var document = JsonDocument.Parse(text);
                return document.RootElement.ValueKind is JsonValueKind.Object or JsonValueKind.Array;
            }
            catch (JsonException)
            {
                return false;
            }
        }
    }
}
