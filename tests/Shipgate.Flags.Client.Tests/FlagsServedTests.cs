using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Shipgate.Flags.Client.Tests.Infrastructure;
using Shipgate.Server.Tests.Infrastructure;

namespace Shipgate.Flags.Client.Tests;

public sealed class FlagsServedTests
{
    [Fact]
    public void Record_SameKeyTwiceAndBadNames_FormatsEachKeyOnceAndLeavesBadOnesOut()
    {
        var served = new FlagsServed();
        served.Record("checkout", "off");
        served.Record("banner", "blue");
        served.Record("checkout", "on");
        served.Record("has space", "on");
        served.Record("ok", "a\r\nX-Injected: 1");
        served.Record(new string('k', 65), "on");

        Assert.Equal("checkout=on, banner=blue", served.ToString());
        Assert.Equal(2, served.Count);
    }

    [Fact]
    public async Task Middleware_ServiceEvaluatesFlags_AnswersWithTheHeader()
    {
        await using var server = await StandInFlagServer.StartAsync(TestDocuments.Document(checkoutPercent: 100));
        await using var client = new FlagClient(new FlagClientOptions { Url = server.Url, Key = StandInFlagServer.ClientKey });
        await client.WaitUntilReadyAsync(TestTimeouts.Ct).DefaultTimeout();

        // The service as docs/flags.md shows it: the five-line middleware, then handlers that evaluate flags.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        await using var app = builder.Build();
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
        app.Run(async context =>
        {
            var user = new FlagContext { TargetingKey = context.Request.Query["user"] };
            await Task.Yield();
            var checkout = client.EvaluateBoolean("checkout", false, user);
            var banner = client.EvaluateString("banner", "#000", user);
            client.EvaluateBoolean("missing", false, user);
            await context.Response.WriteAsync($"{checkout.Value} {banner.Value}");
        });
        await app.StartAsync(TestTimeouts.Ct).DefaultTimeout();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();

        using var http = new HttpClient();
        using var response = await http.GetAsync(address + "/?user=bob", TestTimeouts.Ct).DefaultTimeout();

        var banner = client.EvaluateString("banner", "#000", new FlagContext { TargetingKey = "bob" }).Variant;
        Assert.Equal($"checkout=on, banner={banner}", Assert.Single(response.Headers.GetValues(FlagsServed.HeaderName)));
        Assert.Null(FlagsServed.Current);
    }
}
