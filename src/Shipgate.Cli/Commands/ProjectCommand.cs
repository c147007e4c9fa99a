using System.CommandLine;
using System.Text.Json;
using Shipgate.Server.Api;

namespace Shipgate.Cli.Commands;

/// <summary><c>shipgate project add|set|list|remove</c>: the repositories a server watches and runs workflows for.</summary>
internal static class ProjectCommand
{
    public static Command Create()
    {
        var command = new Command("project", "Manage the projects (repositories) of a Shipgate server.");
        command.Subcommands.Add(CreateAdd());
        command.Subcommands.Add(CreateSet());
        command.Subcommands.Add(CreateList());
        command.Subcommands.Add(CreateRemove());
        return command;
    }

    private static Command CreateAdd()
    {
        var name = new Argument<string>("name") { Description = "The project's name." };
        var repo = new Option<string>("--repo") { Description = "A local git repository (watched for commits) or a clone URL (fetched on webhooks).", Required = true };
        var branch = new Option<string>("--branch") { Description = "The branch to watch and run by default; its shipgate.yml protects the environments.", DefaultValueFactory = _ => "main" };
        var prSecrets = PrSecretsOption();
        var command = new Command("add", "Add a project; prints its GitHub webhook secret as the last line (shown once).") { name, repo, branch, prSecrets };
        command.SetAction((parse, cancellationToken) => ServerConnection.RunAsync(async client =>
        {
            var repository = parse.GetValue(repo)!;

            // A local path is sent absolute: the server does not share the CLI's working directory.
            if (Directory.Exists(repository))
            {
                repository = Path.GetFullPath(repository);
            }

            var created = await client.CreateProjectAsync(new ProjectCreateRequest(parse.GetValue(name)!, repository, parse.GetValue(branch), parse.GetValue(prSecrets)), cancellationToken).ConfigureAwait(false);
            var watching = created.Project.Local ? $"watching {created.Project.Repository} on {created.Project.Branch}" : $"mirroring {created.Project.Repository}";
            Console.Error.WriteLine($"shipgate: added project {created.Project.Name} ({watching}). GitHub webhook: POST {new Uri(client.Url, created.WebhookPath.TrimStart('/'))} with this secret:");
            Console.Out.WriteLine(created.WebhookSecret);
            return CliHost.Success;
        }));
        return command;
    }

    private static Command CreateSet()
    {
        var name = new Argument<string>("name") { Description = "The project." };
        var prSecrets = PrSecretsOption();
        var command = new Command("set", "Change a project's settings.") { name, prSecrets };
        command.SetAction((parse, cancellationToken) => ServerConnection.RunAsync(async client =>
        {
            var project = await client.SetProjectAsync(parse.GetValue(name)!, new ProjectSettingsRequest(parse.GetValue(prSecrets)), cancellationToken).ConfigureAwait(false);
            Console.Error.WriteLine($"shipgate: project {project.Name}: pull-request secrets {project.PrSecrets}.");
            return CliHost.Success;
        }));
        return command;
    }

    private static Option<string?> PrSecretsOption()
    {
        var option = new Option<string?>("--pr-secrets") { Description = "Whether pull-request runs get secrets: none (default) or users (pull requests opened by a user of this server, by git host login)." };
        option.AcceptOnlyFromAmong("none", "users");
        return option;
    }

    private static Command CreateList()
    {
        var json = new Option<bool>("--json") { Description = "Print JSON." };
        var command = new Command("list", "List the projects.") { json };
        command.SetAction((parse, cancellationToken) => ServerConnection.RunAsync(async client =>
        {
            var projects = await client.ListProjectsAsync(cancellationToken).ConfigureAwait(false);
            if (parse.GetValue(json))
            {
                Console.Out.WriteLine(JsonSerializer.Serialize(projects, ApiJsonContext.Default.ProjectResponseArray));
            }
            else
            {
                TextTable.Write(Console.Out, ["NAME", "BRANCH", "REPOSITORY"], projects.Select(p => new[] { p.Name, p.Branch, p.Repository }));
            }

            return CliHost.Success;
        }));
        return command;
    }

    private static Command CreateRemove()
    {
        var name = new Argument<string>("name") { Description = "The project to remove, with its runs." };
        var command = new Command("remove", "Remove a project and its runs (the audit log keeps what happened).") { name };
        command.SetAction((parse, cancellationToken) => ServerConnection.RunAsync(async client =>
        {
            await client.RemoveProjectAsync(parse.GetValue(name)!, cancellationToken).ConfigureAwait(false);
            Console.Error.WriteLine($"shipgate: removed project {parse.GetValue(name)}.");
            return CliHost.Success;
        }));
        return command;
    }
}
