using Shipgate.Core.Diagnostics;
using Shipgate.Core.Workflows;
using static Shipgate.Core.Tests.Workflows.TestWorkflows;

namespace Shipgate.Core.Tests.Workflows;

public sealed class WorkflowLoaderTests
{
    [Theory]
    [InlineData("continuous-delivery.yml")]
    [InlineData("continuous-deployment.yml")]
    [InlineData("canary.yml")]
    public void LoadFile_SeedWorkflows_HaveNoDiagnostics(string name)
    {
        var result = WorkflowLoader.LoadFile(DataPath(name));

        Assert.Empty(result.Diagnostics.Select(d => d.ToString()));
        Assert.NotNull(result.Workflow);
    }

    [Fact]
    public void LoadFile_ContinuousDelivery_HasItsFourJobsInOrder()
    {
        var workflow = WorkflowLoader.LoadFile(DataPath("continuous-delivery.yml")).Workflow!;

        Assert.Equal("Continuous Delivery Pipeline", workflow.Name!.Value);
        Assert.Equal(["main"], workflow.On.Push!.Branches);
        Assert.Equal(["build-and-test", "deploy-to-staging", "manual-approval", "deploy-to-production"], workflow.Jobs.Select(j => j.Id));
        Assert.Equal(["manual-approval"], workflow.FindJob("deploy-to-production")!.Needs);
        var approval = workflow.FindJob("manual-approval")!.Steps.Single();
        Assert.Equal("trstringer/manual-approval@v1", approval.Uses!.Value);
        Assert.Equal(["secret", "minimum-approvals", "approvers"], approval.With.Select(w => w.Key));
    }

    [Fact]
    public void LoadFile_ContinuousDeployment_RollbackStepRunsOnFailure()
    {
        var workflow = WorkflowLoader.LoadFile(DataPath("continuous-deployment.yml")).Workflow!;

        var rollback = workflow.FindJob("deploy-to-production")!.Steps.Single(s => s.Name?.Value == "Rollback on failure");
        Assert.Equal("failure()", rollback.If!.Value);
    }

    [Fact]
    public void LoadFile_CanaryAsPublished_ReportsTheElidedJobOnly()
    {
        var result = WorkflowLoader.LoadFile(DataPath("canary-as-published.yml"));

        var error = SingleError(result.Diagnostics);
        Assert.Equal(new SourceLocation(DataPath("canary-as-published.yml"), 9, 3), error.Location);
        Assert.Equal("job 'build-and-test' is empty; give it 'runs-on' and 'steps', or 'uses' to call a reusable workflow", error.Message);
    }

    [Fact]
    public void LoadFile_MissingFile_IsOneDiagnostic()
    {
        var result = WorkflowLoader.LoadFile("/nonexistent/w.yml");

        Assert.Null(result.Workflow);
        Assert.Equal("'/nonexistent/w.yml' does not exist", SingleError(result.Diagnostics).Message);
    }

    [Fact]
    public void LoadText_YamlSyntaxError_StopsBeforeParsing()
    {
        var result = Load("on: push\njobs:\n  build: [\n");

        Assert.Null(result.Workflow);
        Assert.StartsWith("YAML syntax error: ", SingleError(result.Diagnostics).Message);
    }

    [Fact]
    public void LoadText_DuplicateKey_StillParsesTheRest()
    {
        var result = Load("on: push\njobs:\n  a:\n    runs-on: x\n    runs-on: y\n    steps:\n      - run: x\n      - run: y\n        shell: fish\n");

        Assert.NotNull(result.Workflow);
        Assert.Equal([5, 9], result.Diagnostics.Select(d => d.Location!.Line));
    }

    [Fact]
    public void LoadText_Diagnostics_AreSortedByPosition()
    {
        var result = Load("on: push\njobs:\n  b:\n    needs: a\n    runs-on: x\n    steps:\n      - run: x\n  c:\n    runs-on: x\n    steps: []\n");

        var lines = result.Diagnostics.Select(d => d.Location!.Line).ToList();
        Assert.Equal(lines.Order(), lines);
        Assert.Equal(2, lines.Count);
    }

    [Fact]
    public void LoadText_ThousandsOfErrors_AreCapped()
    {
        var yaml = "on: push\njobs:\n" + string.Concat(Enumerable.Range(0, 600).Select(i => $"  j{i}:\n    runs-on: x\n    steps: []\n"));

        var result = Load(yaml);

        Assert.Equal(WorkflowLoader.MaxDiagnostics + 1, result.Diagnostics.Count);
        Assert.Equal("100 more diagnostics were not shown", result.Diagnostics[^1].Message);
    }

    [Fact]
    public void FindWorkflowFiles_ListsBothDirectoriesSorted()
    {
        var root = Directory.CreateTempSubdirectory("shipgate-repo-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(root, ".shipgate", "workflows"));
            Directory.CreateDirectory(Path.Combine(root, ".github", "workflows", "nested"));
            File.WriteAllText(Path.Combine(root, ".shipgate", "workflows", "b.yaml"), "");
            File.WriteAllText(Path.Combine(root, ".shipgate", "workflows", "a.yml"), "");
            File.WriteAllText(Path.Combine(root, ".github", "workflows", "ci.yml"), "");
            File.WriteAllText(Path.Combine(root, ".github", "workflows", "README.md"), "");
            File.WriteAllText(Path.Combine(root, ".github", "workflows", "nested", "x.yml"), "");

            var files = WorkflowLoader.FindWorkflowFiles(root);

            Assert.Equal(
                [Path.Combine(root, ".shipgate/workflows", "a.yml"), Path.Combine(root, ".shipgate/workflows", "b.yaml"), Path.Combine(root, ".github/workflows", "ci.yml")],
                files);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void FindWorkflowFiles_NoWorkflowDirectories_IsEmpty()
    {
        var root = Directory.CreateTempSubdirectory("shipgate-repo-").FullName;
        try
        {
            Assert.Empty(WorkflowLoader.FindWorkflowFiles(root));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void TryResolveWorkflowFiles_File_IsItself()
    {
        var path = DataPath("canary.yml");

        Assert.True(WorkflowLoader.TryResolveWorkflowFiles(path, out var files, out var error));
        Assert.Equal([path], files);
        Assert.Null(error);
    }

    [Fact]
    public void TryResolveWorkflowFiles_DirectoryOfWorkflows_ListsThem()
    {
        Assert.True(WorkflowLoader.TryResolveWorkflowFiles(Path.GetDirectoryName(DataPath("canary.yml"))!, out var files, out _));
        Assert.Equal(["canary-as-published.yml", "canary.yml", "continuous-delivery.yml", "continuous-deployment.yml"], files.Select(Path.GetFileName));
    }

    [Fact]
    public void TryResolveWorkflowFiles_Repository_ListsItsWorkflowDirectoriesOnly()
    {
        var root = Directory.CreateTempSubdirectory("shipgate-repo-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(root, ".github", "workflows"));
            File.WriteAllText(Path.Combine(root, ".github", "workflows", "ci.yml"), "");
            File.WriteAllText(Path.Combine(root, "docker-compose.yml"), "");

            Assert.True(WorkflowLoader.TryResolveWorkflowFiles(root, out var files, out _));
            Assert.Equal([Path.Combine(root, ".github/workflows", "ci.yml")], files);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void TryResolveWorkflowFiles_MissingPath_IsOneSentence()
    {
        Assert.False(WorkflowLoader.TryResolveWorkflowFiles("/nonexistent/shipgate", out var files, out var error));
        Assert.Empty(files);
        Assert.Equal("'/nonexistent/shipgate' does not exist.", error);
    }

    [Fact]
    public void TryResolveWorkflowFiles_DirectoryWithoutWorkflows_IsOneSentence()
    {
        var root = Directory.CreateTempSubdirectory("shipgate-empty-").FullName;
        try
        {
            Assert.False(WorkflowLoader.TryResolveWorkflowFiles(root, out _, out var error));
            Assert.Equal($"'{root}' holds no workflow files (*.yml or *.yaml in .shipgate/workflows, .github/workflows or the directory itself).", error);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void LoadText_CorruptedSeedWorkflows_NeverThrow()
    {
        // Deterministic corruption of real workflows: deleted, duplicated and replaced characters.
        var random = new Random(20240601);
        const string Alphabet = " \n\t:-[]{}&*!|>'\"#%@`,?$";
        var seeds = new[] { "continuous-delivery.yml", "continuous-deployment.yml", "canary.yml" }.Select(n => File.ReadAllText(DataPath(n))).ToArray();
        for (var i = 0; i < 600; i++)
        {
            var text = seeds[i % seeds.Length].ToCharArray().ToList();
            for (var edits = random.Next(1, 6); edits > 0; edits--)
            {
                var at = random.Next(text.Count);
                switch (random.Next(3))
                {
                    case 0:
                        text.RemoveAt(at);
                        break;
                    case 1:
                        text.Insert(at, Alphabet[random.Next(Alphabet.Length)]);
                        break;
                    default:
                        text[at] = Alphabet[random.Next(Alphabet.Length)];
                        break;
                }
            }

            var result = WorkflowLoader.LoadText(new string([.. text]), "w.yml");

            Assert.All(result.Diagnostics, d => Assert.NotNull(d.Location));
        }
    }
}
