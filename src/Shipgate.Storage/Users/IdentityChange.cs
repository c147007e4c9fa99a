namespace Shipgate.Storage.Users;

/// <summary>What adding or removing a user's email or login did.</summary>
public enum IdentityChange
{
    /// <summary>Added or removed, and audited.</summary>
    Applied,

    /// <summary>Nothing changed: the user does not exist, or (removing) does not have it.</summary>
    NotFound,

    /// <summary>Nothing changed: it belongs to a user already.</summary>
    Taken,
}
