using System.Text.Json;

namespace Shipgate.Server.Tests.Flags;

public sealed class OfrepEndpointsTests
{
    private const string Single = "/ofrep/v1/evaluate/flags/new-checkout";
    private const string Bulk = "/ofrep/v1/evaluate/flags";
    private const string Document = "/flags/v1/document";

    [Fact]
    public async Task Evaluate_ClientKey_ValueVariantAndReasonAsOfrepSays()
    {
        await using var flags = await FlagServer.StartAsync();
        await flags.SendAsync(HttpMethod.Post, FlagServer.Flags("staging"), FlagServer.Checkout);
        var (key, _) = await flags.CreateKeyAsync("staging");

        var alice = await flags.ReadAsync(HttpMethod.Post, Single, key, """{"context":{"targetingKey":"alice","plan":"pro","seats":3,"beta":true}}""");
        var bob = await flags.ReadAsync(HttpMethod.Post, Single, key, """{"context":{"targetingKey":"bob"}}""");
        var missing = await flags.ReadAsync(HttpMethod.Post, "/ofrep/v1/evaluate/flags/nope", key, """{"context":{"targetingKey":"bob"}}""");

        Assert.Equal(200, alice.Status);
        Assert.Equal("""{"key":"new-checkout","value":true,"reason":"TARGETING_MATCH","variant":"on"}""", alice.Body);
        Assert.Equal("""{"key":"new-checkout","value":false,"reason":"DEFAULT","variant":"off"}""", bob.Body);
        Assert.Equal(404, missing.Status);
        Assert.Equal("""{"key":"nope","errorCode":"FLAG_NOT_FOUND","errorDetails":"There is no flag \u0027nope\u0027."}""", missing.Body);
    }

    [Theory]
    [InlineData("{\"context\":", 400, "PARSE_ERROR")]
    [InlineData("[1,2]", 400, "PARSE_ERROR")]
    [InlineData("""{"context":"alice"}""", 400, "INVALID_CONTEXT")]
    [InlineData("""{"context":{"targetingKey":42}}""", 400, "INVALID_CONTEXT")]
    [InlineData("""{"context":{"targetingKey":"a","address":{"city":"Bern"}}}""", 400, "INVALID_CONTEXT")]
    [InlineData("""{"context":{"currentTime":"yesterday"}}""", 400, "INVALID_CONTEXT")]
    [InlineData("""{"context":{"plan":"pro"}}""", 400, "TARGETING_KEY_MISSING")]
    public async Task Evaluate_MalformedRequest_TheProtocolsErrorCode(string body, int status, string code)
    {
        await using var flags = await FlagServer.StartAsync();
        await flags.SendAsync(HttpMethod.Post, FlagServer.Flags("staging"), FlagServer.Checkout);
        await flags.SendAsync(HttpMethod.Put, FlagServer.Flags("staging", "/new-checkout/rollout"), """{"percentage":50}""");
        var (key, _) = await flags.CreateKeyAsync("staging");

        var answer = await flags.ReadAsync(HttpMethod.Post, Single, key, body);

        Assert.Equal(status, answer.Status);
        using var json = JsonDocument.Parse(answer.Body);
        Assert.Equal(code, json.RootElement.GetProperty("errorCode").GetString());
        Assert.Equal("new-checkout", json.RootElement.GetProperty("key").GetString());
        Assert.False(string.IsNullOrWhiteSpace(json.RootElement.GetProperty("errorDetails").GetString()));
    }

    [Fact]
    public async Task Bulk_SameContextAndFlags_304_ThenNewETagWhenAFlagChanges()
    {
        await using var flags = await FlagServer.StartAsync();
        await flags.SendAsync(HttpMethod.Post, FlagServer.Flags("staging"), FlagServer.Checkout);
        var (key, _) = await flags.CreateKeyAsync("staging");
        const string body = """{"context":{"targetingKey":"alice"}}""";

        var first = await flags.ReadAsync(HttpMethod.Post, Bulk, key, body);
        var unchanged = await flags.ReadAsync(HttpMethod.Post, Bulk, key, body, ifNoneMatch: first.ETag);
        var otherContext = await flags.ReadAsync(HttpMethod.Post, Bulk, key, """{"context":{"targetingKey":"bob"}}""", ifNoneMatch: first.ETag);
        await flags.SendAsync(HttpMethod.Post, FlagServer.Flags("staging", "/new-checkout/disable"));
        var changed = await flags.ReadAsync(HttpMethod.Post, Bulk, key, body, ifNoneMatch: first.ETag);

        Assert.Equal(200, first.Status);
        Assert.Equal("""{"flags":[{"key":"new-checkout","value":true,"reason":"TARGETING_MATCH","variant":"on"}]}""", first.Body);
        Assert.NotNull(first.ETag);
        Assert.Equal(304, unchanged.Status);
        Assert.Equal("", unchanged.Body);
        Assert.Equal(200, otherContext.Status);
        Assert.Equal(200, changed.Status);
        Assert.NotEqual(first.ETag, changed.ETag);
        Assert.Contains("\"reason\":\"DISABLED\"", changed.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Document_ETag_304UntilAFlagChanges_NoCache()
    {
        await using var flags = await FlagServer.StartAsync();
        await flags.SendAsync(HttpMethod.Post, FlagServer.Flags("staging"), FlagServer.Checkout);
        var (key, _) = await flags.CreateKeyAsync("staging");

        var first = await flags.ReadAsync(HttpMethod.Get, Document, key);
        var unchanged = await flags.ReadAsync(HttpMethod.Get, Document, key, ifNoneMatch: first.ETag);
        await flags.SendAsync(HttpMethod.Put, FlagServer.Flags("staging", "/new-checkout/rollout"), """{"percentage":10}""");
        var changed = await flags.ReadAsync(HttpMethod.Get, Document, key, ifNoneMatch: first.ETag);
        using var raw = flags.Server.ClientWith(key);
        using var response = await raw.GetAsync(Document, Ct).DefaultTimeout();

        Assert.Equal(200, first.Status);
        Assert.StartsWith("{\"version\":1,\"flags\":[{\"key\":\"new-checkout\"", first.Body, StringComparison.Ordinal);
        Assert.Matches("^\"[0-9a-f]{32}\"$", first.ETag);
        Assert.Equal(304, unchanged.Status);
        Assert.Equal(200, changed.Status);
        Assert.NotEqual(first.ETag, changed.ETag);
        Assert.Contains("\"percentage\":10", changed.Body, StringComparison.Ordinal);
        Assert.Equal("no-cache", response.Headers.CacheControl?.ToString());
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.True(Shipgate.Flags.FlagConfiguration.Parse(first.Body).Errors.Count == 0);
    }

    [Fact]
    public async Task Read_StagingKeyAskingForProduction_403AndNothingOfProduction()
    {
        await using var flags = await FlagServer.StartAsync();
        await flags.SendAsync(HttpMethod.Post, FlagServer.Flags("production"), FlagServer.Checkout.Replace("new-checkout", "prod-only", StringComparison.Ordinal));
        var (staging, _) = await flags.CreateKeyAsync("staging");

        var document = await flags.ReadAsync(HttpMethod.Get, Document, staging, environment: "production");
        var evaluation = await flags.ReadAsync(HttpMethod.Post, "/ofrep/v1/evaluate/flags/prod-only", staging, """{"context":{"targetingKey":"alice"}}""", environment: "production");
        var otherProject = await flags.ReadAsync(HttpMethod.Get, Document, staging, project: "payroll");
        var ownDocument = await flags.ReadAsync(HttpMethod.Get, Document, staging);
        var ownEvaluation = await flags.ReadAsync(HttpMethod.Post, "/ofrep/v1/evaluate/flags/prod-only", staging, """{"context":{"targetingKey":"alice"}}""");

        Assert.Equal(403, document.Status);
        Assert.Equal(403, evaluation.Status);
        Assert.Equal(403, otherProject.Status);
        Assert.Contains("\"errorCode\":\"GENERAL\"", document.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("prod-only", document.Body + evaluation.Body, StringComparison.Ordinal);
        Assert.Equal("""{"version":1,"flags":[]}""", ownDocument.Body);
        Assert.Equal(404, ownEvaluation.Status);
    }

    [Fact]
    public async Task Read_RevokedKeyAndItsReplay_401EveryTime()
    {
        await using var flags = await FlagServer.StartAsync();
        await flags.SendAsync(HttpMethod.Post, FlagServer.Flags("staging"), FlagServer.Checkout);
        var (key, id) = await flags.CreateKeyAsync("staging");
        var before = await flags.ReadAsync(HttpMethod.Post, Single, key, """{"context":{"targetingKey":"alice"}}""");

        await flags.SendAsync(HttpMethod.Delete, $"/api/v1/projects/web/environments/staging/flag-keys/{id}");
        var after = await flags.ReadAsync(HttpMethod.Post, Single, key, """{"context":{"targetingKey":"alice"}}""");
        var replayDocument = await flags.ReadAsync(HttpMethod.Get, Document, key);
        var replayBulk = await flags.ReadAsync(HttpMethod.Post, Bulk, key, "{}");

        Assert.Equal(200, before.Status);
        Assert.Equal(401, after.Status);
        Assert.Equal("""{"errorCode":"GENERAL","errorDetails":"The client key is not valid: it is unknown or was revoked."}""", after.Body);
        Assert.Equal(401, replayDocument.Status);
        Assert.Equal(401, replayBulk.Status);
    }

    [Fact]
    public async Task Read_NoKeyOrUnknownKey_401WithOfrepBody()
    {
        await using var flags = await FlagServer.StartAsync();

        var none = await flags.ReadAsync(HttpMethod.Get, Document, null);
        var forged = await flags.ReadAsync(HttpMethod.Post, Single, "sgk_" + new string('A', 43), "{}");
        var badToken = await flags.ReadAsync(HttpMethod.Post, Bulk, "sg_not-a-token", "{}", "web", "staging");

        Assert.Equal(401, none.Status);
        Assert.Equal(401, forged.Status);
        Assert.Equal(401, badToken.Status);
        Assert.All([none.Body, forged.Body, badToken.Body], body => Assert.Equal("GENERAL", JsonDocument.Parse(body).RootElement.GetProperty("errorCode").GetString()));
    }

    [Fact]
    public async Task Read_UserToken_NeedsTheHeadersAndAKnownProjectAndEnvironment()
    {
        await using var flags = await FlagServer.StartAsync();
        await flags.SendAsync(HttpMethod.Post, FlagServer.Flags("production"), FlagServer.Checkout);
        var viewer = await flags.Server.CreateUserAsync("vera", "viewer");

        var read = await flags.ReadAsync(HttpMethod.Post, Single, viewer, """{"context":{"targetingKey":"alice"}}""", "web", "production");
        var noHeaders = await flags.ReadAsync(HttpMethod.Get, Document, viewer);
        var unknownProject = await flags.ReadAsync(HttpMethod.Get, Document, viewer, project: "nope", environment: "production");
        var unknownEnvironment = await flags.ReadAsync(HttpMethod.Get, Document, viewer, project: "web", environment: "qa");

        Assert.Equal(200, read.Status);
        Assert.Contains("\"value\":true", read.Body, StringComparison.Ordinal);
        Assert.Equal(400, noHeaders.Status);
        Assert.Contains("X-Shipgate-Project", noHeaders.Body, StringComparison.Ordinal);
        Assert.Equal(404, unknownProject.Status);
        Assert.Equal(404, unknownEnvironment.Status);
    }
}
