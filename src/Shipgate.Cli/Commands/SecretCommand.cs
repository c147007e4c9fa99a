using System.CommandLine;

namespace Shipgate.Cli.Commands;

/// <summary>
/// <c>shipgate secret set [--project P] [--env ENV] NAME</c> (the value is read from stdin, never from the
/// command line) and <c>shipgate var set [--project P] [--env ENV] NAME VALUE</c>. Without --project, the
/// server's only project.
/// </summary>
internal static class SecretCommand
{
    public static Command CreateSecret()
    {
        var command = new Command("secret", "Set the secrets of a project (encrypted at rest, masked in logs).");
        var name = new Argument<string>("name") { Description = "The secret's name." };
        var (project, environment) = ScopeOptions();
        var set = new Command("set", "Set a secret; its value is read from stdin.") { name, project, environment };
        set.SetAction((parse, cancellationToken) =>
        {
            var value = Console.In.ReadToEnd().TrimEnd('\r', '\n');
            if (value.Length == 0)
            {
                throw new UserInputException("No value on stdin: pipe the secret in, e.g. 'printf %s \"$TOKEN\" | shipgate secret set NAME'.");
            }

            return SetAsync(parse.GetValue(project), "secrets", parse.GetValue(name)!, parse.GetValue(environment), value, cancellationToken);
        });
        command.Subcommands.Add(set);
        return command;
    }

    public static Command CreateVariable()
    {
        var command = new Command("var", "Set the configuration variables of a project (the vars context).");
        var name = new Argument<string>("name") { Description = "The variable's name." };
        var value = new Argument<string>("value") { Description = "The variable's value." };
        var (project, environment) = ScopeOptions();
        var set = new Command("set", "Set a variable.") { name, value, project, environment };
        set.SetAction((parse, cancellationToken) => SetAsync(parse.GetValue(project), "variables", parse.GetValue(name)!, parse.GetValue(environment), parse.GetValue(value)!, cancellationToken));
        command.Subcommands.Add(set);
        return command;
    }

    private static (Option<string?> Project, Option<string?> Environment) ScopeOptions() => (
        new Option<string?>("--project") { Description = "The project. Default: the server's only project." },
        new Option<string?>("--env") { Description = "Only for jobs of this environment (after its gates pass). Default: the whole project." });

    private static Task<int> SetAsync(string? project, string kind, string name, string? environment, string value, CancellationToken cancellationToken) =>
        ServerConnection.RunAsync(async client =>
        {
            project = await ServerConnection.ProjectAsync(client, project, cancellationToken).ConfigureAwait(false);
            await client.SetValueAsync(project, kind, name, environment, value, cancellationToken).ConfigureAwait(false);
            var what = kind == "secrets" ? "secret" : "variable";
            Console.Error.WriteLine($"shipgate: set {what} {name} of {project}{(environment is null ? "" : $" for environment {environment}")}.");
            return CliHost.Success;
        });
}
