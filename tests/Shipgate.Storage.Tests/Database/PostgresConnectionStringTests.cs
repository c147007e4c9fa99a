using Npgsql;
using Shipgate.Storage.Database;

namespace Shipgate.Storage.Tests.Database;

public sealed class PostgresConnectionStringTests
{
    [Fact]
    public void Normalize_Url_BecomesKeyValues()
    {
        var builder = new NpgsqlConnectionStringBuilder(PostgresConnectionString.Normalize("postgres://ship%40gate:p%3Ass%2Fword@db.example:6543/shipgate?Timeout=7"));

        Assert.Equal(("db.example", 6543, "ship@gate", "p:ss/word", "shipgate", 7), (builder.Host, builder.Port, builder.Username, builder.Password, builder.Database, builder.Timeout));
    }

    [Fact]
    public void Normalize_KeyValues_Unchanged()
    {
        Assert.Equal("Host=/tmp;Port=5433", PostgresConnectionString.Normalize("Host=/tmp;Port=5433"));
    }

    [Theory]
    [InlineData("postgres://localhost/db", true)]
    [InlineData("postgresql://localhost/db", true)]
    [InlineData("Host=localhost;Database=db", true)]
    [InlineData("Data Source=/data/shipgate.db", false)]
    public void IsPostgres_RecognizesForms(string connection, bool expected) => Assert.Equal(expected, PostgresConnectionString.IsPostgres(connection));

    [Fact]
    public void Normalize_UnknownOption_OneSentenceWithoutPassword()
    {
        var error = Assert.Throws<StoreException>(() => PostgresConnectionString.Normalize("postgres://u:secretpw@h/db?bogus=1"));

        Assert.Equal("The PostgreSQL URL has an unknown option 'bogus'.", error.Message);
    }
}
