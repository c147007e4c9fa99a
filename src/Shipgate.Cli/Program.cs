using System.CommandLine;
using Shipgate.Cli.Commands;

namespace Shipgate.Cli;

internal static class Program
{
    public static int Main(string[] args)
    {
        var root = new RootCommand("Shipgate: continuous delivery on your own machine. Runs GitHub Actions workflows on the host.");
        root.Subcommands.Add(RunCommand.Create());
        root.Subcommands.Add(ValidateCommand.Create());
        root.Subcommands.Add(ExprCommand.Create());
        root.Subcommands.Add(UpCommand.Create());
        root.Subcommands.Add(EdgeCommand.Create());
        root.Subcommands.Add(UserCommand.Create());
        root.Subcommands.Add(TokenCommand.Create());
        root.Subcommands.Add(UiLinkCommand.Create());
        root.Subcommands.Add(ProjectCommand.Create());
        root.Subcommands.Add(DispatchCommand.Create());
        root.Subcommands.Add(RunsCommand.Create());
        root.Subcommands.Add(LogsCommand.Create());
        root.Subcommands.Add(ArtifactsCommand.Create());
        root.Subcommands.Add(StatusCommand.Create());
        root.Subcommands.Add(InsightsCommand.Create());
        root.Subcommands.Add(EnvironmentsCommand.Create());
        root.Subcommands.Add(DeploymentsCommand.Create());
        root.Subcommands.Add(RollbackCommand.Create());
        foreach (var verb in DeploymentVerbCommands.Create())
        {
            root.Subcommands.Add(verb);
        }

        root.Subcommands.Add(RolloutStatusCommand.Create());
        root.Subcommands.Add(AuditCommand.Create());
        root.Subcommands.Add(ApprovalCommands.CreateList());
        root.Subcommands.Add(ApprovalCommands.CreateApprove());
        root.Subcommands.Add(ApprovalCommands.CreateReject());
        root.Subcommands.Add(FreezeOverrideCommand.Create());
        root.Subcommands.Add(SecretCommand.CreateSecret());
        root.Subcommands.Add(SecretCommand.CreateVariable());
        root.Subcommands.Add(WebhookCommand.Create());
        root.Subcommands.Add(FlagCommand.Create());
        return CliHost.Invoke(root, args);
    }
}
