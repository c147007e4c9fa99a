namespace Shipgate.Server.Auth;

/// <summary>What a user may do through the API; each role includes the ones before it.</summary>
internal enum ApiRole
{
    /// <summary>Reads projects, runs, logs, approvals and the audit log.</summary>
    Viewer,

    /// <summary>Also dispatches and cancels runs.</summary>
    Developer,

    /// <summary>Also decides approvals, limited to the user's environments when the user has any.</summary>
    Approver,

    /// <summary>Everything: users, tokens, projects, secrets and overrides.</summary>
    Admin,
}
