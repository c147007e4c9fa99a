using System.CommandLine;
using System.Text.Json;
using Shipgate.Server.Api;

namespace Shipgate.Cli.Commands;

/// <summary><c>shipgate user add|list|email|login</c>: users of a Shipgate server and their emails and git host logins (admins only).</summary>
internal static class UserCommand
{
    public static Command Create()
    {
        var command = new Command("user", "Manage the users of a Shipgate server (admin only).");
        command.Subcommands.Add(CreateAdd());
        command.Subcommands.Add(CreateList());
        command.Subcommands.Add(CreateIdentity("email", "emails", "A commit email of the user (author or committer), e.g. alice@home.example."));
        command.Subcommands.Add(CreateIdentity("login", "logins", "A git host login of the user, e.g. github:alice."));
        return command;
    }

    /// <summary><c>shipgate user email|login add|remove NAME VALUE</c>.</summary>
    private static Command CreateIdentity(string what, string route, string description)
    {
        var command = new Command(what, $"Add or remove a user's {what}s; each maps to one user only.");
        foreach (var add in (bool[])[true, false])
        {
            var name = new Argument<string>("name") { Description = "The user." };
            var value = new Argument<string>(what) { Description = description };
            var verb = add ? "add" : "remove";
            var sub = new Command(verb, $"{(add ? "Add" : "Remove")} a {what} {(add ? "to" : "from")} a user.") { name, value };
            sub.SetAction((parse, cancellationToken) => ServerConnection.RunAsync(async client =>
            {
                var user = await client.ChangeUserIdentityAsync(parse.GetValue(name)!, route, parse.GetValue(value)!, add, cancellationToken).ConfigureAwait(false);
                Console.Error.WriteLine($"shipgate: {(add ? "added" : "removed")} {what} {parse.GetValue(value)} {(add ? "to" : "from")} user {user.Name}.");
                return CliHost.Success;
            }));
            command.Subcommands.Add(sub);
        }

        return command;
    }

    private static Command CreateAdd()
    {
        var name = new Argument<string>("name") { Description = "The user's name." };
        var emails = new Option<string[]>("--email") { Description = "A commit author email that maps to this user (repeatable)." };
        var role = new Option<string>("--role") { Description = "viewer, developer, approver or admin.", Required = true };
        role.AcceptOnlyFromAmong("viewer", "developer", "approver", "admin");
        var environments = new Option<string[]>("--env") { Description = "Limit an approver to this environment (repeatable)." };
        var logins = new Option<string[]>("--login") { Description = "A git host login of this user, e.g. github:alice (repeatable)." };
        var command = new Command("add", "Create a user; prints the user's first API token as the last line.") { name, emails, role, environments, logins };
        command.SetAction((parse, cancellationToken) => ServerConnection.RunAsync(async client =>
        {
            var created = await client.CreateUserAsync(
                new UserCreateRequest(parse.GetValue(name)!, parse.GetValue(emails) ?? [], parse.GetValue(role)!, parse.GetValue(environments) ?? [], parse.GetValue(logins) ?? []),
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

            TextTable.Write(Console.Out, ["NAME", "ROLE", "ENVIRONMENTS", "EMAILS", "LOGINS"], users.Select(u => new[]
            {
                u.Name,
                u.Role,
                u.Environments.Count == 0 ? "-" : string.Join(",", u.Environments),
                u.Emails.Count == 0 ? "-" : string.Join(",", u.Emails),
                u.Logins is not { Count: > 0 } logins ? "-" : string.Join(",", logins),
            }));
            return CliHost.Success;
        }));
        return command;
    }
}
