using System.Globalization;

namespace Shipgate.Samples.FlagService;

/// <summary>The service's settings from its environment; a bad value is one sentence on stderr.</summary>
internal sealed record Settings(int Port, TimeSpan PollInterval, string CheckoutFlag, bool BrokenCheckout)
{
    public static Settings? Read()
    {
        var port = Number("PORT", 5000, 0, 65535);
        var poll = Number("FLAG_POLL_MS", 1000, 100, 3_600_000);
        if (port is null || poll is null)
        {
            return null;
        }

        var flag = Environment.GetEnvironmentVariable("CHECKOUT_FLAG") is { Length: > 0 } named ? named : "new-checkout";
        return new Settings(port.Value, TimeSpan.FromMilliseconds(poll.Value), flag, Environment.GetEnvironmentVariable("BROKEN_CHECKOUT") == "1");
    }

    private static int? Number(string variable, int fallback, int min, int max)
    {
        var text = Environment.GetEnvironmentVariable(variable);
        if (string.IsNullOrEmpty(text))
        {
            return fallback;
        }

        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
        {
            return value;
        }

        Console.Error.WriteLine($"flag-service: {variable} is '{text}'; it must be a whole number from {min} to {max}.");
        return null;
    }
}
