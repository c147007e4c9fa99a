using System.Diagnostics;

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

    public string Git(params string[] arguments)
    {
        var start = new ProcessStartInfo("git") { WorkingDirectory = Root, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0 ? output : throw new InvalidOperationException($"git {string.Join(' ', arguments)} failed: {error}");
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
