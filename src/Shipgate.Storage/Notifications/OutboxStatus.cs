namespace Shipgate.Storage.Notifications;

/// <summary>Where a notification is: waiting for (another) attempt, delivered, or given up after its last attempt.</summary>
public enum OutboxStatus
{
    Pending,
    Delivered,
    Failed,
}
