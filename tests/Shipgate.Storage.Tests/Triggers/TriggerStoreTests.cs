using Shipgate.Storage.Tests.Infrastructure;

namespace Shipgate.Storage.Tests.Triggers;

public abstract class TriggerStoreTests(StoreTarget target) : StoreTests(target)
{
    [Fact]
    public async Task WebhookDelivery_RecordedTwice_SecondTimeIsARedelivery()
    {
        var project = await NewProjectAsync();

        Assert.True(await Store.Triggers.TryRecordWebhookDeliveryAsync("d-1", project.Id, "push", signatureOk: true, Cancel).DefaultTimeout());
        Assert.False(await Store.Triggers.TryRecordWebhookDeliveryAsync("d-1", project.Id, "push", signatureOk: true, Cancel).DefaultTimeout());
        Assert.True(await Store.Triggers.TryRecordWebhookDeliveryAsync("d-2", null, "push", signatureOk: false, Cancel).DefaultTimeout());
        Assert.Equal(0L, Convert.ToInt64(await ScalarRawAsync("SELECT COUNT(*) FROM webhook_deliveries WHERE delivery_id = 'd-2' AND signature_ok = " + (Target.Provider == StoreProvider.Sqlite ? "1" : "true") + " ")));
    }

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
