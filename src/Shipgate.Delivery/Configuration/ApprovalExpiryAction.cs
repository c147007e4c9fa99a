namespace Shipgate.Delivery.Configuration;

/// <summary>What <c>on-expiry</c> does when an approval is still pending after <c>expires-after</c>.</summary>
public enum ApprovalExpiryAction
{
    /// <summary>The approval ends as expired and the job fails (the default).</summary>
    Reject,

    /// <summary>The approval stays pending and can still be decided; the expiry is only noted (and notified).</summary>
    KeepWaiting,
}
