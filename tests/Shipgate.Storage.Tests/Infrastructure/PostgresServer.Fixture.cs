namespace Shipgate.Storage.Tests.Infrastructure;

// The xunit side of the server, kept apart so bench/ can compile PostgresServer.cs without xunit.
public sealed partial class PostgresServer : IAsyncLifetime;
