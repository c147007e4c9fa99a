using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using Shipgate.Core.Triggers;
using Shipgate.Server.Tests.Infrastructure;
using Shipgate.Server.Triggers;

namespace Shipgate.Server.Tests.Triggers;

public sealed class ScheduleTriggerTests
{
    private const string NightlyWorkflow = "on:\n  schedule:\n    - cron: '*/5 * * * *'\njobs:\n  nightly:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo nightly\n";

    [Fact]
    public async Task Schedule_SlotDue_FiresOnceAlsoAfterARestart()
    {
        using var repository = new TestRepository();
        repository.Write(".github/workflows/nightly.yml", NightlyWorkflow);
        repository.Commit("nightly");
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 2, 10, 2, 0, TimeSpan.Zero));
        string data;
        await using (var server = await StartAsync(time))
        {
            server.KeepData = true;
            data = server.DataDirectory;
            await server.AddProjectAsync("web", repository.Root);
            var schedules = server.Service<ScheduleTrigger>();
            await schedules.TickAsync(Ct).DefaultTimeout();
            Assert.Empty(await server.ListRunsAsync());

            time.SetUtcNow(new DateTimeOffset(2026, 3, 2, 10, 5, 30, TimeSpan.Zero));
            await schedules.TickAsync(Ct).DefaultTimeout();
            await schedules.TickAsync(Ct).DefaultTimeout();
            var run = Assert.Single(await server.ListRunsAsync());
            Assert.Equal("schedule", run.Event);
            await server.WaitForCompletedRunAsync(run.Id);
        }

        // A restart a minute later looks back over the slot it fired already: it does not fire again.
        time.SetUtcNow(new DateTimeOffset(2026, 3, 2, 10, 6, 30, TimeSpan.Zero));
        await using var restarted = await StartAsync(time, data);
        await restarted.Service<ScheduleTrigger>().TickAsync(Ct).DefaultTimeout();

        Assert.Single(await restarted.ListRunsAsync());
    }

    [Theory]
    [InlineData("2026-03-02T10:00:00Z", "2026-03-02T10:04:59Z", null)]
    [InlineData("2026-03-02T10:00:00Z", "2026-03-02T10:05:00Z", "2026-03-02T10:05:00Z")]
    [InlineData("2026-03-02T10:00:00Z", "2026-03-02T10:17:00Z", "2026-03-02T10:15:00Z")]
    public void LatestSlot_Window_IsTheLastSlotInIt(string from, string now, string? expected)
    {
        CronSchedule.TryParse("*/5 * * * *", out var cron, out _);

        var slot = ScheduleTrigger.LatestSlot(cron!, DateTimeOffset.Parse(from, System.Globalization.CultureInfo.InvariantCulture), DateTimeOffset.Parse(now, System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(expected is null ? null : DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), slot);
    }

    private static Task<RunningServer> StartAsync(FakeTimeProvider time, string? data = null) =>
        RunningServer.StartAsync(
            options => options.ScheduleCatchUp = TimeSpan.FromMinutes(2),
            services => services.Replace(ServiceDescriptor.Singleton<TimeProvider>(time)),
            data);
}
