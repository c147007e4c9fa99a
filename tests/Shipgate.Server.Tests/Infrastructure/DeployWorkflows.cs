namespace Shipgate.Server.Tests.Infrastructure;

/// <summary>Workflows the deployment tests share.</summary>
internal static class DeployWorkflows
{
    /// <summary>Dispatched by hand: uploads the repository's <c>app/</c> folder and deploys it as the service <c>web</c> to production.</summary>
    public const string DispatchToProduction = """
        on: workflow_dispatch
        jobs:
          deploy:
            runs-on: ubuntu-latest
            environment: production
            steps:
              - uses: actions/checkout@v4
              - uses: actions/upload-artifact@v4
                with: { name: app, path: app }
              - uses: shipgate/deploy@v1
                with: { service: web, artifact: app }
        """;
}
