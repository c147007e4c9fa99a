using Shipgate.Core.Triggers;
using Shipgate.Core.Workflows;

namespace Shipgate.Core.Tests.Triggers;

public sealed class TriggerMatcherTests
{
    private static TriggerMatch Push(RefFilter filter, string gitRef, params string[] paths) =>
        TriggerMatcher.Match(new WorkflowTriggers { Push = filter }, new TriggerEvent { Name = "push", Ref = gitRef, ChangedPaths = paths });

    private static TriggerMatch PullRequest(RefFilter filter, string baseRef, string? action = null, params string[] paths) =>
        TriggerMatcher.Match(
            new WorkflowTriggers { PullRequest = filter },
            new TriggerEvent { Name = "pull_request", BaseRef = baseRef, Action = action, ChangedPaths = paths });

    [Fact]
    public void Match_PushWithoutFilters_Matches()
    {
        var match = Push(new RefFilter(), "refs/heads/anything");

        Assert.True(match.Matches);
        Assert.Equal("push to branch 'anything'", match.Reason);
    }

    [Fact]
    public void Match_EventWithoutTrigger_DoesNotMatch()
    {
        var match = TriggerMatcher.Match(new WorkflowTriggers { Push = new RefFilter() }, new TriggerEvent { Name = "pull_request" });

        Assert.False(match.Matches);
        Assert.Equal("the workflow has no 'pull_request' trigger", match.Reason);
    }

    [Fact]
    public void Match_BranchesFilter_MatchesListedBranchOnly()
    {
        var filter = new RefFilter { Branches = ["main", "releases/**"] };

        Assert.True(Push(filter, "refs/heads/main").Matches);
        Assert.True(Push(filter, "refs/heads/releases/v1/hotfix").Matches);
        var miss = Push(filter, "refs/heads/dev");
        Assert.False(miss.Matches);
        Assert.Equal("branch 'dev' does not match 'branches' (main, releases/**)", miss.Reason);
    }

    [Fact]
    public void Match_BranchesWithNegation_LastMatchingPatternDecides()
    {
        // From GitHub's docs: releases/** but not releases/**-alpha.
        var filter = new RefFilter { Branches = ["releases/**", "!releases/**-alpha"] };

        Assert.True(Push(filter, "refs/heads/releases/10").Matches);
        Assert.False(Push(filter, "refs/heads/releases/10-alpha").Matches);
    }

    [Fact]
    public void Match_NegationThenPositive_IncludesAgain()
    {
        var filter = new RefFilter { Paths = ["*.md", "!README.md", "README*"] };

        Assert.True(Push(filter, "refs/heads/main", "hello.md").Matches);
        Assert.True(Push(filter, "refs/heads/main", "README.md").Matches);
        Assert.True(Push(filter, "refs/heads/main", "README.doc").Matches);
    }

    [Fact]
    public void Match_PathsWithNegation_ExcludesNegatedFile()
    {
        var filter = new RefFilter { Paths = ["*.md", "!README.md"] };

        Assert.True(Push(filter, "refs/heads/main", "hello.md").Matches);
        Assert.False(Push(filter, "refs/heads/main", "README.md").Matches);
        Assert.False(Push(filter, "refs/heads/main", "docs/hello.md").Matches);
        Assert.True(Push(filter, "refs/heads/main", "README.md", "hello.md").Matches);
    }

    [Fact]
    public void Match_BranchesIgnore_SkipsIgnoredBranch()
    {
        var filter = new RefFilter { BranchesIgnore = ["mona/octocat", "releases/**-alpha"] };

        Assert.True(Push(filter, "refs/heads/main").Matches);
        var miss = Push(filter, "refs/heads/releases/beta/3-alpha");
        Assert.False(miss.Matches);
        Assert.Equal("branch 'releases/beta/3-alpha' matches 'branches-ignore' (mona/octocat, releases/**-alpha)", miss.Reason);
    }

    [Fact]
    public void Match_TagsFilter_MatchesTagPushes()
    {
        var filter = new RefFilter { Tags = ["v2", "v1.*"] };

        Assert.True(Push(filter, "refs/tags/v1.9").Matches);
        Assert.False(Push(filter, "refs/tags/v3").Matches);
    }

    [Fact]
    public void Match_OnlyTagsFiltered_BranchPushDoesNotRun()
    {
        var match = Push(new RefFilter { Tags = ["v*"] }, "refs/heads/main");

        Assert.False(match.Matches);
        Assert.Equal("the push trigger filters tags only, so pushing a branch does not run it", match.Reason);
    }

    [Fact]
    public void Match_OnlyBranchesFiltered_TagPushDoesNotRun()
    {
        var match = Push(new RefFilter { Branches = ["**"] }, "refs/tags/v1");

        Assert.False(match.Matches);
        Assert.Equal("the push trigger filters branches only, so pushing a tag does not run it", match.Reason);
    }

    [Fact]
    public void Match_TagsIgnore_SkipsIgnoredTag()
    {
        var filter = new RefFilter { TagsIgnore = ["v1.*"] };

        Assert.False(Push(filter, "refs/tags/v1.2").Matches);
        Assert.True(Push(filter, "refs/tags/v2.0").Matches);
    }

    [Fact]
    public void Match_TagPush_IgnoresPathFilters()
    {
        var filter = new RefFilter { Tags = ["v*"], Paths = ["src/**"] };

        Assert.True(Push(filter, "refs/tags/v1", "docs/readme.md").Matches);
    }

    [Fact]
    public void Match_PathsFilter_NeedsOneMatchingPath()
    {
        var filter = new RefFilter { Paths = ["**.js"] };

        Assert.True(Push(filter, "refs/heads/main", "README.md", "src/app.js").Matches);
        var miss = Push(filter, "refs/heads/main", "README.md");
        Assert.False(miss.Matches);
        Assert.Equal("no changed path matches 'paths' (**.js)", miss.Reason);
    }

    [Fact]
    public void Match_PathsIgnore_RunsWhenOnePathIsNotIgnored()
    {
        var filter = new RefFilter { PathsIgnore = ["docs/**"] };

        Assert.True(Push(filter, "refs/heads/main", "docs/a.md", "src/b.cs").Matches);
        var miss = Push(filter, "refs/heads/main", "docs/a.md", "docs/mona/b.md");
        Assert.False(miss.Matches);
        Assert.Equal("every changed path matches 'paths-ignore' (docs/**)", miss.Reason);
    }

    [Fact]
    public void Match_BranchAndPathFilters_BothMustPass()
    {
        var filter = new RefFilter { Branches = ["main"], Paths = ["src/**"] };

        Assert.True(Push(filter, "refs/heads/main", "src/a.cs").Matches);
        Assert.False(Push(filter, "refs/heads/main", "docs/a.md").Matches);
        Assert.False(Push(filter, "refs/heads/dev", "src/a.cs").Matches);
    }

    [Fact]
    public void Match_UnknownChangedPaths_DoesNotApplyPathFilters()
    {
        var match = TriggerMatcher.Match(
            new WorkflowTriggers { Push = new RefFilter { Paths = ["src/**"] } },
            new TriggerEvent { Name = "push", Ref = "refs/heads/main" });

        Assert.True(match.Matches);
        Assert.Contains("path filters were not applied", match.Reason);
    }

    [Fact]
    public void Match_PatternWithFullRef_ComparesTheFullRef()
    {
        var filter = new RefFilter { Branches = ["refs/heads/main"] };

        Assert.True(Push(filter, "refs/heads/main").Matches);
        Assert.False(Push(filter, "refs/heads/dev").Matches);
    }

    [Fact]
    public void Match_PullRequest_FiltersTheBaseBranch()
    {
        var filter = new RefFilter { Branches = ["main"] };

        Assert.True(PullRequest(filter, "main").Matches);
        Assert.True(PullRequest(filter, "refs/heads/main").Matches);
        Assert.False(PullRequest(filter, "dev").Matches);
    }

    [Fact]
    public void Match_PullRequestDefaultTypes_SkipClosed()
    {
        Assert.True(PullRequest(new RefFilter(), "main", "opened").Matches);
        Assert.True(PullRequest(new RefFilter(), "main", "synchronize").Matches);
        var closed = PullRequest(new RefFilter(), "main", "closed");
        Assert.False(closed.Matches);
        Assert.Equal("activity type 'closed' is not in 'types' (opened, synchronize, reopened)", closed.Reason);
    }

    [Fact]
    public void Match_PullRequestTypes_AreHonoured()
    {
        Assert.True(PullRequest(new RefFilter { Types = ["closed"] }, "main", "closed").Matches);
        Assert.False(PullRequest(new RefFilter { Types = ["closed"] }, "main", "opened").Matches);
    }

    [Fact]
    public void Match_DispatchScheduleAndOtherEvents_FollowTheirTriggers()
    {
        var on = new WorkflowTriggers
        {
            WorkflowDispatch = new DispatchTrigger(),
            Schedules = [new ScalarToken("0 * * * *", IsPlain: false, new Diagnostics.SourceLocation("w.yml", 1, 1))],
            OtherEvents = ["release"],
        };

        Assert.True(TriggerMatcher.Match(on, new TriggerEvent { Name = "workflow_dispatch" }).Matches);
        Assert.True(TriggerMatcher.Match(on, new TriggerEvent { Name = "schedule" }).Matches);
        Assert.True(TriggerMatcher.Match(on, new TriggerEvent { Name = "release" }).Matches);
        Assert.False(TriggerMatcher.Match(on, new TriggerEvent { Name = "issues" }).Matches);
        Assert.False(TriggerMatcher.Match(new WorkflowTriggers(), new TriggerEvent { Name = "schedule" }).Matches);
    }
}
