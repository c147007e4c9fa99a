using System.CommandLine;
using Shipgate.Server.Api;

namespace Shipgate.Cli.Commands;

/// <summary><c>shipgate token create|revoke</c>: API tokens (your own; an admin's for anyone).</summary>
internal static class TokenCommand
{
    public static Command Create()
    {
        var command = new Command("token", "Create or revoke API tokens.");
        command.Subcommands.Add(CreateCreate());
        command.Subcommands.Add(CreateRevoke());
        return command;
    }

    private static Command CreateCreate()
    {
        var user = new Option<string?>("--user") { Description = "The user the token is for (admins only). Default: you." };
        var name = new Option<string?>("--name") { Description = "What the token is for, e.g. ci." };
        var command = new Command("create", "Create an API token; prints it as the last line (shown once).") { user, name };
        command.SetAction((parse, cancellationToken) => ServerConnection.RunAsync(async client =>
        {
            var token = await client.CreateTokenAsync(new TokenCreateRequest(parse.GetValue(user), parse.GetValue(name)), cancellationToken).ConfigureAwait(false);
            Console.Error.WriteLine($"shipgate: created token {token.Id} for {token.User}; revoke it with 'shipgate token revoke {token.Id}'.");
            Console.Out.WriteLine(token.Token);
            return CliHost.Success;
        }));
        return command;
    }

    private static Command CreateRevoke()
    {
        var id = new Argument<long>("id") { Description = "The token's id (shown when it was created)." };
        var command = new Command("revoke", "Revoke an API token.") { id };
        command.SetAction((parse, cancellationToken) => ServerConnection.RunAsync(async client =>
        {
            await client.RevokeTokenAsync(parse.GetValue(id), cancellationToken).ConfigureAwait(false);
            Console.Error.WriteLine($"shipgate: revoked token {parse.GetValue(id)}.");
            return CliHost.Success;
        }));
        return command;
    }
}
