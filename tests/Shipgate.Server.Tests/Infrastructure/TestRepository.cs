using Shipgate.Server.Git;

namespace Shipgate.Server.Tests.Infrastructure;

/// <summary>A throwaway git repository on branch main, written and committed by the test.</summary>
internal sealed class TestRepository : IDisposable
{
    /// <summary>A workflow that runs on pushes to main touching src/**, and on dispatch (input 'greeting').</summary>
    public const string CiWorkflow = """
        name: ci
        on:
          push:
            branches: [main]
            paths: ['src/**']
          workflow_dispatch:
            inputs:
              greeting:
                default: hello
        jobs:
          build:
            runs-on: ubuntu-latest
            steps:
              - name: Say
                run: echo "line one ${{ inputs.greeting }}"
              - run: echo "line two"
        """;

    /// <summary>shipgate.yml of <see cref="WithProductionGate"/>: production waits for alice's approval.</summary>
    public const string ProductionGateConfig = """
        environments:
          production:
            approval:
              reviewers: [alice]
        """;

    /// <summary>A dispatchable workflow: build, then deploy to production (which echoes deployed-to-production).</summary>
    public const string DeliveryWorkflow = """
        on: workflow_dispatch
        jobs:
          build:
            runs-on: ubuntu-latest
            steps:
              - run: echo built
          deploy:
            needs: build
            runs-on: ubuntu-latest
            environment: production
            steps:
              - run: echo deployed-to-production
        """;

    public TestRepository()
    {
        Root = Path.Combine(Path.GetTempPath(), "shipgate-server-repo-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Root);
        Git("init", "--quiet", "--initial-branch=main");
        Git("config", "user.email", "dev@example.com");
        Git("config", "user.name", "Dev Eloper");
    }

    public string Root { get; }

    /// <summary>A repository with the CI workflow and src/app.txt committed.</summary>
    public static TestRepository WithCiWorkflow()
    {
        var repository = new TestRepository();
        repository.Write(".github/workflows/ci.yml", CiWorkflow);
        repository.Write("src/app.txt", "1");
        repository.Commit("initial");
        return repository;
    }

    /// <summary>A repository with the CI workflow, the delivery workflow (delivery.yml) and production gated by alice.</summary>
    public static TestRepository WithProductionGate()
    {
        var repository = new TestRepository();
        repository.Write(".github/workflows/ci.yml", CiWorkflow);
        repository.Write(".github/workflows/delivery.yml", DeliveryWorkflow);
        repository.Write("shipgate.yml", ProductionGateConfig);
        repository.Write("src/app.txt", "1");
        repository.Commit("initial");
        return repository;
    }

    public void Write(string relativePath, string content)
    {
        var path = Path.Combine(Root, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }

    /// <summary>Commits everything and returns the new commit's sha.</summary>
    public string Commit(string message = "change")
    {
        Git("add", "-A");
        Git("commit", "--quiet", "-m", message);
        return Git("rev-parse", "HEAD").Trim();
    }

    /// <summary>Runs git in the repository (with the server's own git runner) and returns its output; throws when git fails.</summary>
    public string Git(params string[] arguments)
    {
        var result = new GitRepository(Root).RunAsync(arguments).WaitAsync(TestTimeouts.Default).GetAwaiter().GetResult();
        return result.Succeeded ? result.Output : throw new InvalidOperationException($"git {string.Join(' ', arguments)} failed: {result.Error}");
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // The OS cleans the temp directory later.
        }
    }
}
