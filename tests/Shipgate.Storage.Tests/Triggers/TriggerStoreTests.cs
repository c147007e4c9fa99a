using Shipgate.Storage.Runs;
using Shipgate.Storage.Tests.Infrastructure;
using Shipgate.Storage.Triggers;

namespace Shipgate.Storage.Tests.Triggers;

public abstract class TriggerStoreTests(StoreTarget target) : StoreTests(target)
{
    private static readonly TimeSpan Retention = TimeSpan.FromDays(7);

    [Fact]
    public async Task WebhookDelivery_RecordedTwice_SecondTimeIsARedeliveryAndQueuesNothing()
    {
        var project = await NewProjectAsync();
        var delivery = new WebhookDelivery("d-1", project.Id, "push", Digest('a'));

        var first = await Store.Triggers.RecordWebhookDeliveryAsync(delivery, [Run(project.Id)], Retention, Cancel).DefaultTimeout();
        var second = await Store.Triggers.RecordWebhookDeliveryAsync(delivery, [Run(project.Id)], Retention, Cancel).DefaultTimeout();

        Assert.Equal((WebhookDeliveryStatus.New, 1), (first.Status, first.Runs.Count));
        Assert.Equal((WebhookDeliveryStatus.Redelivered, 0), (second.Status, second.Runs.Count));
        Assert.Single(await Store.Runs.ListRunsAsync(new RunQuery { ProjectId = project.Id }, Cancel).DefaultTimeout());
        Assert.Equal(WebhookDeliveryStatus.Redelivered, await Store.Triggers.GetWebhookDeliveryStatusAsync(project.Id, "d-1", Digest('b'), Cancel).DefaultTimeout());
    }

    [Fact]
    public async Task WebhookDelivery_SameBodyUnderANewId_IsAReplayAndQueuesNothing()
    {
        var project = await NewProjectAsync();
        await Store.Triggers.RecordWebhookDeliveryAsync(new WebhookDelivery("d-1", project.Id, "push", Digest('a')), [Run(project.Id)], Retention, Cancel).DefaultTimeout();

        var replay = await Store.Triggers.RecordWebhookDeliveryAsync(new WebhookDelivery("d-2", project.Id, "push", Digest('a')), [Run(project.Id)], Retention, Cancel).DefaultTimeout();

        Assert.Equal((WebhookDeliveryStatus.Replayed, 0), (replay.Status, replay.Runs.Count));
        Assert.Equal(WebhookDeliveryStatus.Replayed, await Store.Triggers.GetWebhookDeliveryStatusAsync(project.Id, "d-3", Digest('a'), Cancel).DefaultTimeout());
        Assert.Single(await Store.Runs.ListRunsAsync(new RunQuery { ProjectId = project.Id }, Cancel).DefaultTimeout());
    }

    [Fact]
    public async Task WebhookDelivery_SameBodyToAnotherProject_IsNotAReplay()
    {
        // Two projects of one repository have a webhook each: GitHub sends both the same body under two delivery ids.
        var first = await NewProjectAsync("web");
        var second = await NewProjectAsync("api");
        await Store.Triggers.RecordWebhookDeliveryAsync(new WebhookDelivery("d-1", first.Id, "push", Digest('a')), [Run(first.Id)], Retention, Cancel).DefaultTimeout();

        var other = await Store.Triggers.RecordWebhookDeliveryAsync(new WebhookDelivery("d-2", second.Id, "push", Digest('a')), [Run(second.Id)], Retention, Cancel).DefaultTimeout();

        Assert.Equal((WebhookDeliveryStatus.New, 1), (other.Status, other.Runs.Count));
    }

    [Fact]
    public async Task WebhookDelivery_OlderThanTheRetention_IsForgotten()
    {
        var project = await NewProjectAsync();
        await Store.Triggers.RecordWebhookDeliveryAsync(new WebhookDelivery("d-1", project.Id, "push", Digest('a')), [], Retention, Cancel).DefaultTimeout();
        Time.Advance(Retention + TimeSpan.FromMinutes(1));

        var later = await Store.Triggers.RecordWebhookDeliveryAsync(new WebhookDelivery("d-2", project.Id, "push", Digest('b')), [], Retention, Cancel).DefaultTimeout();

        Assert.Equal(WebhookDeliveryStatus.New, later.Status);
        Assert.Equal(WebhookDeliveryStatus.New, await Store.Triggers.GetWebhookDeliveryStatusAsync(project.Id, "d-1", Digest('a'), Cancel).DefaultTimeout());
    }

    private static string Digest(char c) => new(c, 64);

    private static NewRun Run(long projectId) => new()
    {
        ProjectId = projectId,
        WorkflowPath = ".github/workflows/ci.yml",
        WorkflowName = "CI",
        Event = "push",
        Ref = "refs/heads/main",
        Sha = "fedcba9876543210fedcba9876543210fedcba98",
        Actor = "alice",
    };

    [Fact]
    public async Task ScheduleFire_SameSlotTwice_FiresOnce()
    {
        var project = await NewProjectAsync();
        var slot = new DateTimeOffset(2025, 3, 4, 6, 0, 0, TimeSpan.Zero);

        Assert.Null(await Store.Triggers.GetLastScheduleFireAsync(project.Id, "nightly.yml", "0 6 * * *", Cancel).DefaultTimeout());
        Assert.True(await Store.Triggers.TryRecordScheduleFireAsync(project.Id, "nightly.yml", "0 6 * * *", slot, Cancel).DefaultTimeout());
        Assert.False(await Store.Triggers.TryRecordScheduleFireAsync(project.Id, "nightly.yml", "0 6 * * *", slot, Cancel).DefaultTimeout());
        Assert.True(await Store.Triggers.TryRecordScheduleFireAsync(project.Id, "nightly.yml", "0 6 * * *", slot.AddDays(1), Cancel).DefaultTimeout());
        Assert.True(await Store.Triggers.TryRecordScheduleFireAsync(project.Id, "other.yml", "0 6 * * *", slot, Cancel).DefaultTimeout());

        Assert.Equal(slot.AddDays(1), await Store.Triggers.GetLastScheduleFireAsync(project.Id, "nightly.yml", "0 6 * * *", Cancel).DefaultTimeout());
    }

    [Fact]
    public async Task ScheduleFire_AfterRestart_SlotStillFired()
    {
        var project = await NewProjectAsync();
        var slot = new DateTimeOffset(2025, 3, 4, 6, 0, 0, TimeSpan.Zero);
        Assert.True(await Store.Triggers.TryRecordScheduleFireAsync(project.Id, "nightly.yml", "0 6 * * *", slot, Cancel).DefaultTimeout());
        await Store.DisposeAsync();

        await using var restarted = await Target.OpenAsync(Time, Cancel).DefaultTimeout();

        Assert.False(await restarted.Triggers.TryRecordScheduleFireAsync(project.Id, "nightly.yml", "0 6 * * *", slot, Cancel).DefaultTimeout());
    }

    public sealed class OnSqlite() : TriggerStoreTests(new SqliteStoreTarget());

    public sealed class OnPostgres(PostgresServer server) : TriggerStoreTests(new PostgresStoreTarget(server));
}
