using Shipgate.Storage.Tests.Infrastructure;

[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]

// One throwaway PostgreSQL cluster for the whole run; each test gets a schema of its own in it.
[assembly: AssemblyFixture(typeof(PostgresServer))]
