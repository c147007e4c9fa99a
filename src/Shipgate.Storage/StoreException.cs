namespace Shipgate.Storage;

/// <summary>
/// The store cannot be used as it is: its schema is newer than this Shipgate knows, its secret key does
/// not match, or its database cannot be reached. The message is one sentence meant for the user.
/// </summary>
public sealed class StoreException : Exception
{
    public StoreException(string message)
        : base(message)
    {
    }

    public StoreException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
