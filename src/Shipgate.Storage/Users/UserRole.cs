namespace Shipgate.Storage.Users;

/// <summary>What a user may do; each role includes the ones before it.</summary>
public enum UserRole
{
    Viewer,
    Developer,
    Approver,
    Admin,
}
