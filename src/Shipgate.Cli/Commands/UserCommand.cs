using System.CommandLine;
using System.Text.Json;
using Shipgate.Server.Api;

namespace Shipgate.Cli.Commands;

/// <summary><c>shipgate user add|list</c>: users of a Shipgate server (admins only).</summary>
internal static class UserCommand
{
    public static Command Create()
    {
        var command = new Command("user", "Manage the users of a Shipgate server (admin only).");
        command.Subcommands.Add(CreateAdd());
        command.Subcommands.Add(CreateList());
        return command;
    }

    private static Command CreateAdd()
    {
        var name = new Argument<string>("name") { Description = "The user's name." };
        var emails = new Option<string[]>("--email") { Description = "A commit author email that maps to this user (repeatable)." };
        var role = new Option<string>("--role") { Description = "viewer, developer, approver or admin.", Required = true };
        role.AcceptOnlyFromAmong("viewer", "developer", "approver", "admin");
        var environments = new Option<string[]>("--env") { Description = "Limit an approver to this environment (repeatable)." };
        var command = new Command("add", "Create a user; prints the user's first API token as the last line.") { name, emails, role, environments };
        command.SetAction((parse, cancellationToken) => ServerConnection.RunAsync(async client =>
        {
            var created = await client.CreateUserAsync(
                new UserCreateRequest(parse.GetValue(name)!, parse.GetValue(emails) ?? [], parse.GetValue(role)!, parse.GetValue(environments) ?? []),
                cancellationToken).ConfigureAwait(false);
            var scope = created.User.Environments.Count > 0 ? $" for {string.Join(", ", created.User.Environments)}" : "";
            Console.Error.WriteLine($"shipgate: created user {created.User.Name} ({created.User.Role}{scope}); its API token follows (shown once).");
            Console.Out.WriteLine(created.Token.Token);
            return CliHost.Success;
        }));
        return command;
    }

    private static Command CreateList()
    {
        var json = new Option<bool>("--json") { Description = "Print JSON." };
        var command = new Command("list", "List the users.") { json };
        command.SetAction((parse, cancellationToken) => ServerConnection.RunAsync(async client =>
        {
            var users = await client.ListUsersAsync(cancellationToken).ConfigureAwait(false);
            if (parse.GetValue(json))
            {
                Console.Out.WriteLine(JsonSerializer.Serialize(users, ApiJsonContext.Default.UserResponseArray));
                return CliHost.Success;
            }

            TextTable.Write(Console.Out, ["NAME", "ROLE", "ENVIRONMENTS", "EMAILS"], users.Select(u => new[]
            {
                u.Name, u.Role, u.Environments.Count == 0 ? "-" : string.Join(",", u.Environments), u.Emails.Count == 0 ? "-" : string.Join(",", u.Emails),
            }));
            return CliHost.Success;
        }));
        return command;
    }
}
