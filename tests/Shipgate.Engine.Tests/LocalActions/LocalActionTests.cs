using Shipgate.Engine.Runs;
using Shipgate.Engine.Tests.Runs;

namespace Shipgate.Engine.Tests.LocalActions;

public sealed class LocalActionTests : IDisposable
{
    private readonly RunHarness _harness = new();

    private string Shared => _harness.Shared;

    public void Dispose() => _harness.Dispose();

    [Fact]
    public async Task Composite_InputsDefaultsOutputsActionPathAndEnv()
    {
        _harness.WriteRepositoryFile(".github/actions/greet/action.yml", $$$"""
            name: Greet
            inputs:
              greeting:
                required: true
              name:
                default: world-${{ github.event_name }}
            outputs:
              message:
                value: ${{ steps.say.outputs.msg }}
            runs:
              using: composite
              steps:
                - id: say
                  shell: bash
                  run: |
                    echo "msg=${{ inputs.greeting }} ${{ inputs.name }}" >> "$GITHUB_OUTPUT"
                    echo "$GITHUB_ACTION_PATH|${{ github.action_path }}|$FROM_STEP" > {{{Shared}}}/composite
            """);
        var workflow = _harness.LoadWorkflow($$$"""
            on: push
            jobs:
              build:
                runs-on: ubuntu-latest
                steps:
                  - id: greet
                    uses: ./.github/actions/greet
                    with:
                      greeting: hello
                    env:
                      FROM_STEP: step-env
                  - run: echo "${{ steps.greet.outputs.message }}" > {{{Shared}}}/message
            """);

        var result = await _harness.RunAsync(workflow);

        Assert.Equal(Conclusion.Success, result.Conclusion);
        Assert.Equal("hello world-push\n", _harness.ReadShared("message"));
        var actionPath = Path.Combine(_harness.Repository, ".github", "actions", "greet");
        Assert.Equal($"{actionPath}|{actionPath}|step-env\n", _harness.ReadShared("composite"));
    }

    [Fact]
    public async Task Composite_NestedActionsExportEnvToLaterJobSteps()
    {
        _harness.WriteRepositoryFile("actions/inner/action.yml", """
            runs:
              using: composite
              steps:
                - shell: sh
                  run: echo "FROM_INNER=deep" >> "$GITHUB_ENV"
            """);
        _harness.WriteRepositoryFile("actions/outer/action.yml", """
            outputs:
              seen:
                value: ${{ steps.check.outputs.seen }}
            runs:
              using: composite
              steps:
                - uses: ./actions/inner
                - id: check
                  shell: bash
                  run: echo "seen=$FROM_INNER" >> "$GITHUB_OUTPUT"
            """);
        var workflow = _harness.LoadWorkflow($$$"""
            on: push
            jobs:
              build:
                runs-on: ubuntu-latest
                steps:
                  - id: outer
                    uses: ./actions/outer
                  - run: echo "$FROM_INNER ${{ steps.outer.outputs.seen }}" > {{{Shared}}}/nested
            """);

        var result = await _harness.RunAsync(workflow);

        Assert.Equal(Conclusion.Success, result.Conclusion);
        Assert.Equal("deep deep\n", _harness.ReadShared("nested"));
    }

    [Fact]
    public async Task Composite_FailingInnerStep_FailsTheStepAndSkipsTheRestButAlways()
    {
        _harness.WriteRepositoryFile("actions/flaky/action.yml", $$$"""
            runs:
              using: composite
              steps:
                - shell: bash
                  run: exit 4
                - shell: bash
                  run: touch {{{Shared}}}/skipped
                - if: always()
                  shell: bash
                  run: touch {{{Shared}}}/cleanup
            """);
        var workflow = _harness.LoadWorkflow("""
            on: push
            jobs:
              build:
                runs-on: ubuntu-latest
                steps:
                  - uses: ./actions/flaky
            """);

        var result = await _harness.RunAsync(workflow);

        var step = RunEngineTests.Single(result, "build").Steps.Single();
        Assert.Equal(Conclusion.Failure, step.Conclusion);
        Assert.Contains("exit code 4", step.Reason);
        Assert.False(File.Exists(Path.Combine(Shared, "skipped")));
        Assert.True(File.Exists(Path.Combine(Shared, "cleanup")));
    }

    [Fact]
    public async Task Node_PreMainPost_RunInGitHubsOrderWithInputsAndState()
    {
        var order = Path.Combine(Shared, "order").Replace("\\", "/", StringComparison.Ordinal);
        _harness.WriteRepositoryFile("actions/js/action.yml", """
            name: js
            inputs:
              who:
                default: nobody
              Max Count:
                default: "3"
            outputs:
              answer:
                description: the answer
            runs:
              using: node20
              pre: pre.js
              main: main.js
              post: post.js
            """);
        _harness.WriteRepositoryFile("actions/js/pre.js", $$$"""
            const fs = require('fs');
            fs.appendFileSync('{{{order}}}', 'pre\n');
            fs.appendFileSync(process.env.GITHUB_STATE, 'token=from-pre\n');
            """);
        _harness.WriteRepositoryFile("actions/js/main.js", $$$"""
            const fs = require('fs');
            fs.appendFileSync('{{{order}}}', `main ${process.env.INPUT_WHO} ${process.env.INPUT_MAX_COUNT} ${process.env.STATE_token}\n`);
            fs.appendFileSync(process.env.GITHUB_OUTPUT, 'answer=42\n');
            fs.appendFileSync(process.env.GITHUB_STATE, 'main=from-main\n');
            """);
        _harness.WriteRepositoryFile("actions/js/post.js", $$$"""
            require('fs').appendFileSync('{{{order}}}', `post ${process.env.STATE_token} ${process.env.STATE_main}\n`);
            """);
        var workflow = _harness.LoadWorkflow($$$"""
            on: push
            jobs:
              build:
                runs-on: ubuntu-latest
                steps:
                  - run: echo first >> {{{order}}}
                  - id: js
                    uses: ./actions/js
                    with:
                      who: alice
                  - run: echo "last ${{ steps.js.outputs.answer }}" >> {{{order}}}
            """);

        var result = await _harness.RunAsync(workflow);

        Assert.Equal(Conclusion.Success, result.Conclusion);
        Assert.Equal(["pre", "first", "main alice 3 from-pre", "last 42", "post from-pre from-main"], File.ReadAllLines(order));
        Assert.Equal(["Pre Run ./actions/js", "Run echo first >> " + order, "Run ./actions/js", "Run echo \"last ${{ steps.js.outputs.answer }}\" >> " + order, "Post Run ./actions/js"], RunEngineTests.Single(result, "build").Steps.Select(s => s.Name));
    }

    [Fact]
    public async Task Node_WithoutNode_FailsClearly()
    {
        _harness.WriteRepositoryFile("actions/js/action.yml", "runs:\n  using: node20\n  main: main.js\n");
        var workflow = _harness.LoadWorkflow("""
            on: push
            jobs:
              build:
                runs-on: ubuntu-latest
                steps:
                  - uses: ./actions/js
                    env:
                      PATH: /nonexistent
            """);

        var result = await _harness.RunAsync(workflow);

        Assert.Contains("needs Node.js", RunEngineTests.Single(result, "build").Steps.Single().Reason);
    }

    [Fact]
    public async Task MissingLocalAction_FailsSayingWhereItLooked()
    {
        var workflow = _harness.LoadWorkflow("""
            on: push
            jobs:
              build:
                runs-on: ubuntu-latest
                steps:
                  - uses: ./nowhere
            """);

        var result = await _harness.RunAsync(workflow);

        Assert.Contains("Can't find 'action.yml' or 'action.yaml' under './nowhere'", RunEngineTests.Single(result, "build").Steps.Single().Reason);
    }
}
