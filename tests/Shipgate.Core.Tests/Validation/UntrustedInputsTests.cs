using Shipgate.Core.Diagnostics;
using Shipgate.Core.Validation;
using static Shipgate.Core.Tests.Workflows.TestWorkflows;

namespace Shipgate.Core.Tests.Validation;

public sealed class UntrustedInputsTests
{
    [Theory]
    [InlineData("${{ github.event.issue.title }}", "github.event.issue.title")]
    [InlineData("${{ github.event.issue.body }}", "github.event.issue.body")]
    [InlineData("${{ github.event.pull_request.title }}", "github.event.pull_request.title")]
    [InlineData("${{ github.event.pull_request.body }}", "github.event.pull_request.body")]
    [InlineData("${{ github.event.comment.body }}", "github.event.comment.body")]
    [InlineData("${{ github.event.review.body }}", "github.event.review.body")]
    [InlineData("${{ github.event.review_comment.body }}", "github.event.review_comment.body")]
    [InlineData("${{ github.event.pages[0].page_name }}", "github.event.pages.*.page_name")]
    [InlineData("${{ github.event.commits.*.message }}", "github.event.commits.*.message")]
    [InlineData("${{ github.event.head_commit.message }}", "github.event.head_commit.message")]
    [InlineData("${{ github.event.head_commit.author.email }}", "github.event.head_commit.author.email")]
    [InlineData("${{ github.event.head_commit.author.name }}", "github.event.head_commit.author.name")]
    [InlineData("${{ github.event.commits[0].author.name }}", "github.event.commits.*.author.name")]
    [InlineData("${{ github.event.pull_request.head.ref }}", "github.event.pull_request.head.ref")]
    [InlineData("${{ github.event.pull_request.head.label }}", "github.event.pull_request.head.label")]
    [InlineData("${{ github.event.pull_request.head.repo.default_branch }}", "github.event.pull_request.head.repo.default_branch")]
    [InlineData("${{ github.event.workflow_run.head_branch }}", "github.event.workflow_run.head_branch")]
    [InlineData("${{ github.head_ref }}", "github.head_ref")]
    [InlineData("${{ github['head_ref'] }}", "github.head_ref")]
    [InlineData("${{ GitHub.Event.Issue.Title }}", "github.event.issue.title")]
    [InlineData("${{ format('{0}', github.event.discussion.body) }}", "github.event.discussion.body")]
    public void Find_UntrustedValue_IsFound(string text, string path) => Assert.Equal(path, Assert.Single(UntrustedInputs.Find(text)).Path);

    [Theory]
    [InlineData("${{ github.sha }}")]
    [InlineData("${{ github.ref_name }}")]
    [InlineData("${{ github.event.issue.number }}")]
    [InlineData("${{ github.event.repository.name }}")]
    [InlineData("${{ github.event.label.name }}")]
    [InlineData("${{ env.title }}")]
    [InlineData("${{ 'github.event.issue.title' }}")]
    [InlineData("github.event.issue.title without an expression")]
    [InlineData("${{ steps.github.event.issue.title }}")]
    public void Find_TrustedOrNotAnExpression_FindsNothing(string text) => Assert.Empty(UntrustedInputs.Find(text));

    [Fact]
    public void Find_ReportsTheOffsetOfEachPath()
    {
        var found = UntrustedInputs.Find("echo ${{ github.head_ref }} ${{ github.event.issue.body }}").ToList();

        Assert.Equal([9, 32], found.Select(f => f.Offset));
    }

    [Fact]
    public void Validate_UntrustedValueInRun_IsAPositionedWarning()
    {
        var result = Load(Header + "  build:\n    runs-on: x\n    steps:\n      - run: |\n          echo \"${{ github.event.issue.title }}\"\n");

        var warning = Assert.Single(result.Diagnostics);
        Assert.Equal(DiagnosticSeverity.Warning, warning.Severity);
        Assert.Equal(At(7, 21), warning.Location);
        Assert.StartsWith("'github.event.issue.title' can be set by anyone who opens an issue or pull request", warning.Message);
        Assert.False(result.HasErrors);
    }

    [Fact]
    public void Validate_UntrustedValueInEnv_IsNotWarned() =>
        Assert.Empty(Load(Header + "  build:\n    runs-on: x\n    steps:\n      - run: echo \"$TITLE\"\n        env:\n          TITLE: ${{ github.event.issue.title }}\n").Diagnostics);

    [Fact]
    public void Validate_UntrustedValueInGithubScript_IsWarned()
    {
        var result = Load(Header + "  build:\n    runs-on: x\n    steps:\n      - uses: actions/github-script@v7\n        with:\n          script: console.log('${{ github.event.comment.body }}')\n");

        Assert.Equal(DiagnosticSeverity.Warning, Assert.Single(result.Diagnostics).Severity);
    }
}
