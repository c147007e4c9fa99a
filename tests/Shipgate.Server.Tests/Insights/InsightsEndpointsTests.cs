using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Shipgate.Server.Api;
using Shipgate.Server.Hosting;
using Shipgate.Server.Tests.Infrastructure;
using Shipgate.Storage.Deployments;

namespace Shipgate.Server.Tests.Insights;

public sealed class InsightsEndpointsTests
{
    [Theory]
    [InlineData("since=abc", "since 'abc' is not a duration such as 7d, 30d or 12w of at most 366 days.")]
    [InlineData("since=0d", "since '0d' is not a duration such as 7d, 30d or 12w of at most 366 days.")]
    [InlineData("since=400d", "since '400d' is not a duration such as 7d, 30d or 12w of at most 366 days.")]
    [InlineData("since=-7d", "since '-7d' is not a duration such as 7d, 30d or 12w of at most 366 days.")]
    [InlineData("since=7d&from=2026-01-01", "Give the period either as since (a duration) or as from and to (dates), not both.")]
    [InlineData("from=yesterday", "from 'yesterday' is not an ISO 8601 date or time from 1970 on, such as 2026-11-01 or 2026-11-01T09:00:00Z.")]
    [InlineData("from=2026-11-01T09:00:00", "from '2026-11-01T09:00:00' is not an ISO 8601 date or time from 1970 on, such as 2026-11-01 or 2026-11-01T09:00:00Z.")]
    [InlineData("from=0001-01-01", "from '0001-01-01' is not an ISO 8601 date or time from 1970 on, such as 2026-11-01 or 2026-11-01T09:00:00Z.")]
    [InlineData("to=9999-12-31", "to '9999-12-31' is not an ISO 8601 date or time from 1970 on, such as 2026-11-30 or 2026-11-30T18:00:00Z.")]
    [InlineData("to=0001-01-01T00:00:00Z", "to '0001-01-01T00:00:00Z' is not an ISO 8601 date or time from 1970 on, such as 2026-11-30 or 2026-11-30T18:00:00Z.")]
    [InlineData("to=2026-13-01", "to '2026-13-01' is not an ISO 8601 date or time from 1970 on, such as 2026-11-30 or 2026-11-30T18:00:00Z.")]
    [InlineData("from=2020-03-02&to=2020-03-01", "The period from 2020-03-02T00:00:00Z to 2020-03-02T00:00:00Z is empty: from must be before to (and before now).")]
    [InlineData("project=nope", "There is no project 'nope'.")]
    public async Task Get_BadPeriodOrUnknownProject_400Or404WithOneSentence(string query, string sentence)
    {
        await using var server = await RunningServer.StartAsync();
        using var admin = server.AdminClient();

        using var response = await admin.GetAsync("/api/v1/insights?" + query, Ct).DefaultTimeout();
        var problem = await response.Content.ReadFromJsonAsync(ApiJsonContext.Default.ApiProblem, Ct).DefaultTimeout();

        Assert.Equal(query.StartsWith("project=", StringComparison.Ordinal) ? HttpStatusCode.NotFound : HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(sentence, problem!.Detail);
    }

    [Fact]
    public async Task OpenApi_DocumentsTheEndpointItsQueryAndAnswers()
    {
        await using var server = await RunningServer.StartAsync();

        using var document = JsonDocument.Parse(await server.Client.GetStringAsync("/openapi/v1.json", Ct).DefaultTimeout());
        var get = document.RootElement.GetProperty("paths").GetProperty("/api/v1/insights").GetProperty("get");

        Assert.Equal(["project", "environment", "since", "from", "to"], get.GetProperty("parameters").EnumerateArray().Select(p => p.GetProperty("name").GetString()));
        Assert.True(get.GetProperty("responses").GetProperty("200").GetProperty("content").TryGetProperty("application/json", out _));
        Assert.True(get.GetProperty("responses").TryGetProperty("400", out _));
    }

    [Fact]
    public async Task Get_WithoutToken_401_AViewerMayRead()
    {
        await using var server = await RunningServer.StartAsync();
        var viewer = await server.CreateUserAsync("victor", "viewer");
        using var reader = server.ClientWith(viewer);
        using var stranger = server.ClientWith("sg_not-a-token");

        using var anonymous = await server.Client.GetAsync("/api/v1/insights", Ct).DefaultTimeout();
        using var bogus = await stranger.GetAsync("/api/v1/insights", Ct).DefaultTimeout();
        using var viewed = await reader.GetAsync("/api/v1/insights?since=12w", Ct).DefaultTimeout();

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, bogus.StatusCode);
        Assert.Equal(HttpStatusCode.OK, viewed.StatusCode);
        var insights = (await viewed.Content.ReadFromJsonAsync(ApiJsonContext.Default.InsightsResponse, Ct).DefaultTimeout())!;
        Assert.Equal(TimeSpan.FromDays(84), insights.To - insights.From);
    }

    [Fact]
    public async Task Get_NoData_MeasuresNullInTheJson_NotZero()
    {
        await using var server = await RunningServer.StartAsync();
        using var admin = server.AdminClient();

        var json = await admin.GetStringAsync("/api/v1/insights?from=2026-11-01&to=2026-11-30", Ct).DefaultTimeout();
        using var document = JsonDocument.Parse(json);
        var overall = document.RootElement.GetProperty("overall");

        Assert.Equal("2026-11-01T00:00:00+00:00", document.RootElement.GetProperty("from").GetString());
        Assert.Equal(0, overall.GetProperty("deployments").GetInt32());
        foreach (var measure in new[] { "deploymentFrequency", "leadTime", "changeFailRate", "recoveryTime", "reworkRate" })
        {
            Assert.True(!overall.TryGetProperty(measure, out var value) || value.ValueKind == JsonValueKind.Null, $"{measure} has a value in {json}");
        }
    }

    [Fact]
    public async Task Get_AfterAnEnvironmentJobRan_LeadTimeFromTheCommitTimeGitRecorded()
    {
        using var repository = new TestRepository();
        repository.Write("shipgate.yml", "environments:\n  staging:\n    mode: deployment\n");
        repository.Write(".github/workflows/delivery.yml", """
            on: workflow_dispatch
            jobs:
              deploy:
                runs-on: ubuntu-latest
                environment: staging
                steps:
                  - run: echo deployed
            """);
        var sha = repository.Commit("delivery");
        var committedAt = DateTimeOffset.Parse(repository.Git("log", "-1", "--format=%cI", sha).Trim(), CultureInfo.InvariantCulture);
        await using var server = await RunningServer.StartAsync();
        await server.AddProjectAsync("web", repository.Root);

        var run = await server.DispatchAsync("web", "delivery.yml");
        Assert.Equal("success", (await server.WaitForCompletedRunAsync(run.Id)).Conclusion);
        using var admin = server.AdminClient();
        var insights = (await admin.GetFromJsonAsync("/api/v1/insights?project=web&environment=staging&since=1d", ApiJsonContext.Default.InsightsResponse, Ct).DefaultTimeout())!;

        var store = server.Service<ServerStore>().Store;
        var release = (await store.Deployments.FindReleaseAsync((await store.Projects.GetByNameAsync("web", Ct).DefaultTimeout())!.Id, "web", sha[..7], Ct).DefaultTimeout())!;
        Assert.Equal(committedAt, release.CommittedAt);
        var deployment = Assert.Single(await store.Deployments.ListDeploymentsAsync(release.ProjectId, "staging", cancellationToken: Ct).DefaultTimeout());
        Assert.Equal(DeploymentStatus.Succeeded, deployment.Status);
        Assert.Equal((1, 1), (insights.Overall.Deployments, insights.Overall.Succeeded));
        Assert.Equal(1, insights.Overall.LeadTime!.Count);
        Assert.Equal(Math.Round((deployment.FinishedAt!.Value - committedAt).TotalSeconds, 3), insights.Overall.LeadTime.MedianSeconds);
    }
}
