using Shipgate.Core.Workflows;

namespace Shipgate.Core.Tests.Workflows;

/// <summary>Spot checks of GitHub's "context availability" table (docs.github.com, "Contexts reference").</summary>
public sealed class ContextAvailabilityTests
{
    [Fact]
    public void EverySite_HasAnEntry()
    {
        foreach (var site in Enum.GetValues<ExpressionSite>())
        {
            Assert.NotEmpty(ContextAvailability.Contexts(site));
            Assert.NotNull(ContextAvailability.ParseOptions(site));
            Assert.StartsWith(site.ToString().StartsWith("Job", StringComparison.Ordinal) || site.ToString().StartsWith("Step", StringComparison.Ordinal) ? "jobs." : "", ContextAvailability.KeyName(site));
        }
    }

    [Fact]
    public void JobIf_AllowsGithubNeedsVarsInputsAndStatusFunctions()
    {
        Assert.Equal(["github", "needs", "vars", "inputs"], ContextAvailability.Contexts(ExpressionSite.JobIf));
        Assert.True(ContextAvailability.AllowsStatusFunctions(ExpressionSite.JobIf));
        Assert.False(ContextAvailability.AllowsHashFiles(ExpressionSite.JobIf));
    }

    [Fact]
    public void StepIf_AllowsStepsButNotSecrets()
    {
        var contexts = ContextAvailability.Contexts(ExpressionSite.StepIf);

        Assert.Contains("steps", contexts);
        Assert.Contains("matrix", contexts);
        Assert.DoesNotContain("secrets", contexts);
        Assert.True(ContextAvailability.AllowsStatusFunctions(ExpressionSite.StepIf));
        Assert.True(ContextAvailability.AllowsHashFiles(ExpressionSite.StepIf));
    }

    [Theory]
    [InlineData(ExpressionSite.StepRun)]
    [InlineData(ExpressionSite.StepEnv)]
    [InlineData(ExpressionSite.StepWith)]
    public void StepKeys_AllowSecretsStepsAndHashFiles(ExpressionSite site)
    {
        Assert.Contains("secrets", ContextAvailability.Contexts(site));
        Assert.Contains("steps", ContextAvailability.Contexts(site));
        Assert.True(ContextAvailability.AllowsHashFiles(site));
        Assert.False(ContextAvailability.AllowsStatusFunctions(site));
    }

    [Fact]
    public void RunsOn_AllowsMatrixButNotEnvOrSecrets()
    {
        Assert.Equal(["github", "needs", "strategy", "matrix", "vars", "inputs"], ContextAvailability.Contexts(ExpressionSite.JobRunsOn));
    }

    [Fact]
    public void JobOutputs_AllowSteps() => Assert.Contains("steps", ContextAvailability.Contexts(ExpressionSite.JobOutputs));

    [Fact]
    public void CallOutputs_AllowJobs() => Assert.Contains("jobs", ContextAvailability.Contexts(ExpressionSite.CallOutputValue));

    [Fact]
    public void ParseOptions_AreSharedPerSite() =>
        Assert.Same(ContextAvailability.ParseOptions(ExpressionSite.StepRun), ContextAvailability.ParseOptions(ExpressionSite.StepRun));
}
