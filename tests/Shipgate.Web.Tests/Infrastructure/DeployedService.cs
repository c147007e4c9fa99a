namespace Shipgate.Web.Tests.Infrastructure;

/// <summary>A repository whose dispatched workflow deploys a small Python service to production through the real edge.</summary>
internal static class DeployedService
{
    public const string Config = """
        services:
          web:
            run: python3 app.py
            health-interval: 200ms
        environments:
          production:
            mode: deployment
            strategy: rolling
            watch: 0s
        """;

    private static readonly string Service = PythonService.Script("""
        import os

        def answer(path):
            return 200, b"hello", {}
        """);

    /// <summary>A repository with the service, its shipgate.yml and deploy.yml, its first commit named <paramref name="message"/>.</summary>
    public static TestRepository Repository(string message)
    {
        var repository = new TestRepository();
        repository.Write("app/app.py", Service);
        repository.Write("shipgate.yml", Config);
        repository.Write(".github/workflows/deploy.yml", DeployWorkflows.DispatchToProduction);
        repository.Commit(message);
        return repository;
    }
}
