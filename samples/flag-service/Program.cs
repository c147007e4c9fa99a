using System.Net;
using Shipgate.Flags;
using Shipgate.Flags.Client;
using Shipgate.Samples.FlagService;

// flag-service: a sample ASP.NET Core service that evaluates its flags in process with Shipgate.Flags.Client.
//   GET /healthz                200 "ok"
//   GET /checkout?user=ID       the flag CHECKOUT_FLAG (default new-checkout) for ID: on → "new checkout" (500 "new checkout
//                               failed" when BROKEN_CHECKOUT=1), off → "old checkout"
//   GET /flags/ready            200 with the document's ETag once the client has its first document, else 503
// Settings (environment): PORT (default 5000), SHIPGATE_FLAGS_URL and SHIPGATE_FLAGS_KEY (the edge sets both),
// FLAG_POLL_MS (default 1000), CHECKOUT_FLAG, BROKEN_CHECKOUT.
if (Settings.Read() is not { } settings)
{
    return 2;
}

var builder = WebApplication.CreateSlimBuilder(args);
builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, settings.Port));
var app = builder.Build();
var options = FlagClientOptions.FromEnvironment();
options.PollInterval = settings.PollInterval;
options.Logger = app.Logger;
if (options.Validate() is { Count: > 0 } problems)
{
    // Each sentence names the variable to set.
    await Console.Error.WriteLineAsync("flag-service: " + string.Join(" ", problems));
    return 2;
}

await using var flags = new FlagClient(options);

// Tells the edge which variants served each answer (docs/flags.md, "Telling the edge which variants served a request").
app.Use(async (context, next) =>
{
    var served = FlagsServed.Begin();
    context.Response.OnStarting(() =>
    {
        if (served.Count > 0)
        {
            context.Response.Headers[FlagsServed.HeaderName] = served.ToString();
        }

        return Task.CompletedTask;
    });
    await next(context);
});

app.MapGet("/healthz", () => Results.Text("ok"));
app.MapGet("/flags/ready", () => flags.ETag is { } etag
    ? Results.Text(etag)
    : Results.Text("The flags have not arrived from the server yet.", statusCode: StatusCodes.Status503ServiceUnavailable));
app.MapGet("/checkout", (string? user) =>
{
    if (string.IsNullOrEmpty(user))
    {
        return Results.Text("Say who is checking out: /checkout?user=ID.", statusCode: StatusCodes.Status400BadRequest);
    }

    if (!flags.EvaluateBoolean(settings.CheckoutFlag, false, new FlagContext { TargetingKey = user }).Value)
    {
        return Results.Text("old checkout");
    }

    return settings.BrokenCheckout
        ? Results.Text("new checkout failed", statusCode: StatusCodes.Status500InternalServerError)
        : Results.Text("new checkout");
});

await app.RunAsync();
return 0;
