using static Shipgate.Core.Tests.Workflows.TestWorkflows;

namespace Shipgate.Core.Tests.Workflows;

public sealed class WorkflowParserTriggersTests
{
    private const string OneJob = "jobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo hi\n";

    [Fact]
    public void Parse_OnAsString_SetsThatEvent()
    {
        var (workflow, diagnostics) = Parse("on: push\n" + OneJob);

        Assert.Empty(diagnostics);
        Assert.NotNull(workflow!.On.Push);
        Assert.Null(workflow.On.PullRequest);
    }

    [Fact]
    public void Parse_OnAsList_SetsEachEvent()
    {
        var (workflow, diagnostics) = Parse("on: [push, pull_request, workflow_dispatch, release]\n" + OneJob);

        Assert.Empty(diagnostics);
        Assert.NotNull(workflow!.On.Push);
        Assert.NotNull(workflow.On.PullRequest);
        Assert.NotNull(workflow.On.WorkflowDispatch);
        Assert.Equal(["release"], workflow.On.OtherEvents);
    }

    [Fact]
    public void Parse_UnknownEvent_SuggestsTheClosest()
    {
        var error = SingleError(Parse("on: [push, pull-request]\n" + OneJob).Diagnostics);

        Assert.Equal(At(1, 12), error.Location);
        Assert.Equal("unknown event 'pull-request'; did you mean 'pull_request'?", error.Message);
    }

    [Fact]
    public void Parse_EventListedTwice_IsError()
    {
        var error = SingleError(Parse("on: [push, push]\n" + OneJob).Diagnostics);

        Assert.Equal(At(1, 12), error.Location);
        Assert.Equal("event 'push' is listed twice", error.Message);
    }

    [Fact]
    public void Parse_EmptyOn_IsError()
    {
        var error = SingleError(Parse("on:\n" + OneJob).Diagnostics);

        Assert.Equal("'on' must name at least one event (e.g. 'on: push')", error.Message);
    }

    [Fact]
    public void Parse_PushFilters_AreRead()
    {
        var (workflow, diagnostics) = Parse(
            """
            on:
              push:
                branches: [main, 'releases/**']
                tags: v*
                paths-ignore:
                  - docs/**
            """ + "\n" + OneJob);

        Assert.Empty(diagnostics);
        var push = workflow!.On.Push!;
        Assert.Equal(["main", "releases/**"], push.Branches);
        Assert.Equal(["v*"], push.Tags);
        Assert.Equal(["docs/**"], push.PathsIgnore);
        Assert.Null(push.Paths);
        Assert.Null(push.BranchesIgnore);
    }

    [Fact]
    public void Parse_BranchesAndBranchesIgnore_IsErrorAtTheSecond()
    {
        var error = SingleError(Parse("on:\n  push:\n    branches: [main]\n    branches-ignore: [dev]\n" + OneJob).Diagnostics);

        Assert.Equal(At(4, 5), error.Location);
        Assert.Equal("'branches' and 'branches-ignore' cannot both filter 'on.push'; use '!' patterns in 'branches' instead", error.Message);
    }

    [Fact]
    public void Parse_PathsIgnoreThenPaths_IsError()
    {
        var error = SingleError(Parse("on:\n  pull_request:\n    paths-ignore: [a]\n    paths: [b]\n" + OneJob).Diagnostics);

        Assert.Equal(At(4, 5), error.Location);
        Assert.StartsWith("'paths' and 'paths-ignore' cannot both filter 'on.pull_request'", error.Message);
    }

    [Fact]
    public void Parse_InvalidFilterPattern_IsErrorAtTheBracket()
    {
        var error = SingleError(Parse("on:\n  push:\n    tags: ['v[12']\n" + OneJob).Diagnostics);

        Assert.Equal(At(3, 14), error.Location);
        Assert.Equal("invalid filter pattern 'v[12' in 'on.push.tags': '[' has no closing ']'", error.Message);
    }

    [Fact]
    public void Parse_TagsOnPullRequest_IsUnknownKey()
    {
        var error = SingleError(Parse("on:\n  pull_request:\n    tags: [v1]\n" + OneJob).Diagnostics);

        Assert.Equal("unknown key 'tags' in 'on.pull_request'", error.Message);
    }

    [Fact]
    public void Parse_PullRequestTypes_AreReadAndChecked()
    {
        var (workflow, diagnostics) = Parse("on:\n  pull_request:\n    types: [opened, closd]\n" + OneJob);

        Assert.Equal(["opened", "closd"], workflow!.On.PullRequest!.Types);
        var error = SingleError(diagnostics);
        Assert.Equal(At(3, 21), error.Location);
        Assert.Equal("unknown activity type 'closd' in 'on.pull_request.types'; did you mean 'closed'?", error.Message);
    }

    [Fact]
    public void Parse_PullRequestTarget_IsReadLikePullRequest()
    {
        var (workflow, diagnostics) = Parse("on:\n  pull_request_target:\n    branches: [main]\n" + OneJob);

        Assert.Empty(diagnostics);
        Assert.Equal(["main"], workflow!.On.PullRequestTarget!.Branches);
    }

    [Fact]
    public void Parse_DispatchInputs_AreTypedWithDefaults()
    {
        var (workflow, diagnostics) = Parse(
            """
            on:
              workflow_dispatch:
                inputs:
                  level:
                    description: Log level
                    required: true
                    default: warning
                    type: choice
                    options: [info, warning, debug]
                  dry-run:
                    type: boolean
                    default: false
                  count:
                    type: number
                    default: 3
                  target:
                    type: environment
                  note:
                    description: free text
            """ + "\n" + OneJob);

        Assert.Empty(diagnostics);
        var inputs = workflow!.On.WorkflowDispatch!.Inputs;
        Assert.Equal(["level", "dry-run", "count", "target", "note"], inputs.Select(i => i.Name));
        Assert.Equal("choice", inputs[0].Type);
        Assert.True(inputs[0].Required);
        Assert.Equal("Log level", inputs[0].Description);
        Assert.Equal("warning", inputs[0].Default!.Value);
        Assert.Equal(["info", "warning", "debug"], inputs[0].Options);
        Assert.Equal(At(4, 7), inputs[0].Location);
        Assert.Equal("boolean", inputs[1].Type);
        Assert.Equal("number", inputs[2].Type);
        Assert.Equal("environment", inputs[3].Type);
        Assert.Equal("string", inputs[4].Type);
        Assert.False(inputs[4].Required);
    }

    [Fact]
    public void Parse_DispatchWithoutSettings_IsAccepted()
    {
        var (workflow, diagnostics) = Parse("on:\n  workflow_dispatch:\n" + OneJob);

        Assert.Empty(diagnostics);
        Assert.Empty(workflow!.On.WorkflowDispatch!.Inputs);
    }

    [Fact]
    public void Parse_ChoiceWithoutOptions_IsError()
    {
        var error = SingleError(Parse("on:\n  workflow_dispatch:\n    inputs:\n      level:\n        type: choice\n" + OneJob).Diagnostics);

        Assert.Equal(At(4, 7), error.Location);
        Assert.Equal("choice input 'level' needs 'options'", error.Message);
    }

    [Fact]
    public void Parse_ChoiceDefaultNotAnOption_IsError()
    {
        var error = SingleError(Parse("on:\n  workflow_dispatch:\n    inputs:\n      level:\n        type: choice\n        options: [a, b]\n        default: c\n" + OneJob).Diagnostics);

        Assert.Equal(At(7, 18), error.Location);
        Assert.Equal("the default 'c' of choice input 'level' is not one of its options", error.Message);
    }

    [Fact]
    public void Parse_BooleanInputWithBadDefault_IsError()
    {
        var error = SingleError(Parse("on:\n  workflow_dispatch:\n    inputs:\n      dry:\n        type: boolean\n        default: yes\n" + OneJob).Diagnostics);

        Assert.Equal(At(6, 18), error.Location);
        Assert.Equal("the default of boolean input 'dry' must be true or false, not 'yes'", error.Message);
    }

    [Fact]
    public void Parse_NumberInputWithBadDefault_IsError() =>
        Assert.Equal(
            "the default of number input 'n' must be a number, not 'many'",
            SingleError(Parse("on:\n  workflow_dispatch:\n    inputs:\n      n:\n        type: number\n        default: many\n" + OneJob).Diagnostics).Message);

    [Fact]
    public void Parse_UnknownInputType_IsError()
    {
        var error = SingleError(Parse("on:\n  workflow_dispatch:\n    inputs:\n      n:\n        type: integer\n" + OneJob).Diagnostics);

        Assert.Equal(At(5, 15), error.Location);
        Assert.Equal("unknown input type 'integer'; use string, boolean, number, choice, environment", error.Message);
    }

    [Fact]
    public void Parse_OptionsOnStringInput_IsError() =>
        Assert.Equal(
            "'options' can only be used with 'type: choice'",
            SingleError(Parse("on:\n  workflow_dispatch:\n    inputs:\n      n:\n        options: [a]\n" + OneJob).Diagnostics).Message);

    [Fact]
    public void Parse_InputRequiredNotBoolean_IsError() =>
        Assert.Equal(
            "'on.workflow_dispatch.inputs.n.required' must be true or false, not 'maybe'",
            SingleError(Parse("on:\n  workflow_dispatch:\n    inputs:\n      n:\n        required: maybe\n" + OneJob).Diagnostics).Message);

    [Fact]
    public void Parse_InvalidInputName_IsError() =>
        Assert.StartsWith(
            "input name '9lives' is invalid",
            SingleError(Parse("on:\n  workflow_dispatch:\n    inputs:\n      9lives: {}\n" + OneJob).Diagnostics).Message);

    [Fact]
    public void Parse_Schedule_ReadsCronEntries()
    {
        var (workflow, diagnostics) = Parse("on:\n  schedule:\n    - cron: '0 3 * * *'\n    - cron: '*/15 * * * 1-5'\n" + OneJob);

        Assert.Empty(diagnostics);
        Assert.Equal(["0 3 * * *", "*/15 * * * 1-5"], workflow!.On.Schedules.Select(s => s.Value));
    }

    [Fact]
    public void Parse_BadCron_IsErrorAtTheExpression()
    {
        var (workflow, diagnostics) = Parse("on:\n  schedule:\n    - cron: '0 3 * *'\n    - cron: '0 25 * * *'\n" + OneJob);

        Assert.Empty(workflow!.On.Schedules);
        Assert.Equal(2, diagnostics.Count);
        Assert.Equal(At(3, 13), diagnostics[0].Location);
        Assert.Equal("cron expression '0 3 * *' has 4 fields; it needs 5 (minute hour day-of-month month day-of-week)", diagnostics[0].Message);
        Assert.Equal(At(4, 13), diagnostics[1].Location);
        Assert.StartsWith("invalid cron expression '0 25 * * *': hours:", diagnostics[1].Message);
    }

    [Fact]
    public void Parse_ScheduleInList_NeedsCronEntries() =>
        Assert.StartsWith("'schedule' needs a sequence of cron entries", SingleError(Parse("on: [schedule]\n" + OneJob).Diagnostics).Message);

    [Fact]
    public void Parse_ScheduleEntryWithoutCron_IsError() =>
        Assert.Contains(
            "unknown key 'crn' in 'on.schedule'; did you mean 'cron'?",
            Parse("on:\n  schedule:\n    - crn: '0 3 * * *'\n" + OneJob).Diagnostics.Select(d => d.Message));

    [Fact]
    public void Parse_WorkflowCall_ReadsInputsOutputsAndSecrets()
    {
        var (workflow, diagnostics) = Parse(
            """
            on:
              workflow_call:
                inputs:
                  environment:
                    type: string
                    required: true
                  retries:
                    type: number
                    default: 2
                outputs:
                  version:
                    description: The version built
                    value: ${{ jobs.build.outputs.version }}
                secrets:
                  token:
                    required: true
                  optional:
            """ + "\n" + OneJob);

        Assert.Empty(diagnostics);
        var call = workflow!.On.WorkflowCall!;
        Assert.Equal(["environment", "retries"], call.Inputs.Select(i => i.Name));
        Assert.True(call.Inputs[0].Required);
        Assert.Equal("2", call.Inputs[1].Default!.Value);
        Assert.Equal("version", call.Outputs.Single().Key);
        Assert.Equal("${{ jobs.build.outputs.version }}", call.Outputs.Single().Value.Value);
        Assert.Equal([new KeyValuePair<string, bool>("token", true), new KeyValuePair<string, bool>("optional", false)], call.Secrets);
    }

    [Fact]
    public void Parse_CallInputWithoutType_IsError()
    {
        var error = SingleError(Parse("on:\n  workflow_call:\n    inputs:\n      x:\n        required: true\n" + OneJob).Diagnostics);

        Assert.Equal(At(4, 7), error.Location);
        Assert.Equal("input 'x' of workflow_call needs a 'type' (string, boolean, number)", error.Message);
    }

    [Fact]
    public void Parse_CallOutputWithoutValue_IsError() =>
        Assert.Equal(
            "output 'v' of workflow_call needs a 'value'",
            SingleError(Parse("on:\n  workflow_call:\n    outputs:\n      v:\n        description: x\n" + OneJob).Diagnostics).Message);

    [Fact]
    public void Parse_OtherEventWithSettings_IsAccepted()
    {
        var (workflow, diagnostics) = Parse("on:\n  release:\n    types: [published]\n  workflow_run:\n    workflows: [CI]\n" + OneJob);

        Assert.Empty(diagnostics);
        Assert.Equal(["release", "workflow_run"], workflow!.On.OtherEvents);
    }

    [Fact]
    public void Parse_FilterWithExpression_IsError() =>
        Assert.Equal(
            "'on.push.branches' cannot contain an expression",
            SingleError(Parse("on:\n  push:\n    branches: ['${{ github.ref }}']\n" + OneJob).Diagnostics).Message);
}
