using static Shipgate.Delivery.Tests.Configuration.TestConfigs;

namespace Shipgate.Delivery.Tests.Configuration;

public sealed class ShipgateConfigParserFreezeTests
{
    private static string Freeze(string window) => Environment("    freeze:\n      - " + window.Replace("\n", "\n        ", StringComparison.Ordinal) + "\n");

    [Fact]
    public void Parse_WindowWithoutTimezone_IsUtc()
    {
        var window = Assert.Single(Assert.Single(Valid(Freeze("cron: '0 22 * * *'\nduration: 8h")).Environments).Freeze);

        Assert.Equal(TimeZoneInfo.Utc, window.TimeZone);
        Assert.Equal(TimeSpan.FromHours(8), window.Duration);
        Assert.Equal(At(4, 9), window.Location);
    }

    [Fact]
    public void Parse_SeveralWindows_KeepTheirOrder()
    {
        var environment = Assert.Single(Valid(Environment("""
                freeze:
                  - { cron: "0 17 * * FRI", duration: 63h, timezone: Europe/Berlin }
                  - { cron: "0 0 24 12 *", duration: 3d, timezone: America/New_York }

            """)).Environments);

        Assert.Equal(["Europe/Berlin", "America/New_York"], environment.Freeze.Select(w => w.TimeZone.Id));
    }

    [Theory]
    [InlineData("cron: '61 17 * * FRI'\nduration: 1h", 4, 15, "invalid cron expression '61 17 * * FRI': ")]
    [InlineData("cron: '0 17 * *'\nduration: 1h", 4, 15, "cron expression '0 17 * *' has 4 fields; it needs 5 (minute hour day-of-month month day-of-week)")]
    [InlineData("cron: '0 17 * * FRI'\nduration: 30s", 5, 19, "'environments.e.freeze[0].duration' must be from 1m to 366d, not '30s'")]
    [InlineData("cron: '0 17 * * FRI'\nduration: 1h\ntimezone: Europe/Berln", 6, 19, "'environments.e.freeze[0].timezone' is not a known IANA time zone such as Europe/Berlin or UTC: 'Europe/Berln'; did you mean 'Europe/Berlin'?")]
    [InlineData("cron: '0 17 * * FRI'\nduration: 1h\ntimezone: W. Europe Standard Time", 6, 19, "'environments.e.freeze[0].timezone' is not a known IANA time zone such as Europe/Berlin or UTC: 'W. Europe Standard Time'")]
    [InlineData("cron: '0 17 * * FRI'\nduration: 1h\ntimezone: ../../etc/passwd", 6, 19, "'environments.e.freeze[0].timezone' is not a known IANA time zone such as Europe/Berlin or UTC: '../../etc/passwd'")]
    [InlineData("cron: '0 17 * * FRI'\nduration: 1h\nzone: UTC", 6, 9, "unknown key 'zone' in 'environments.e.freeze[0]'")]
    [InlineData("cron: '0 17 * * FRI'", 4, 9, "'environments.e.freeze[0]' needs 'duration'")]
    [InlineData("duration: 1h", 4, 9, "'environments.e.freeze[0]' needs 'cron'")]
    public void Parse_BadWindow_IsErrorAtTheValue(string window, int line, int column, string message)
    {
        var error = SingleError(Freeze(window));

        Assert.Equal(At(line, column), error.Location);
        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ErrorsInTwoWindows_AreBothReported()
    {
        var result = Load(Environment("""
                freeze:
                  - { cron: "0 17 * * FRI", duration: 1y }
                  - { cron: "0 17 * * FRI", duration: 1h, timezone: Mars/Olympus }

            """));

        Assert.Null(result.Config);
        Assert.Equal([4, 5], result.Errors.Select(e => e.Location!.Line));
    }
}
