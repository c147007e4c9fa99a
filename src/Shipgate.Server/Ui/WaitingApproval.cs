namespace Shipgate.Server.Ui;

/// <summary>An approval an environment waits for; <see cref="CanDecide"/> shows the approve and reject buttons (the server checks again).</summary>
public sealed record WaitingApproval(long Id, string Title, bool CanDecide);
