using System.Net;
using System.Net.Http.Json;
using Shipgate.Server.Api;
using Shipgate.Server.Tests.Infrastructure;

namespace Shipgate.Server.Tests.Auth;

public sealed class AuthorizationTests
{
    [Fact]
    public async Task MutatingCall_NoToken_Returns401WithSentence()
    {
        await using var server = await RunningServer.StartAsync();

        using var response = await server.Client.PostAsJsonAsync("/api/v1/users", new UserCreateRequest("bob", null, "viewer", null), ApiJsonContext.Default.UserCreateRequest, Ct).DefaultTimeout();
        var problem = await response.Content.ReadFromJsonAsync(ApiJsonContext.Default.ApiProblem, Ct).DefaultTimeout();

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("SHIPGATE_TOKEN", problem!.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Call_UnknownToken_Returns401()
    {
        await using var server = await RunningServer.StartAsync();
        using var client = server.ClientWith("sgt_not-a-real-token");

        using var response = await client.GetAsync("/api/v1/user", Ct).DefaultTimeout();
        var problem = await response.Content.ReadFromJsonAsync(ApiJsonContext.Default.ApiProblem, Ct).DefaultTimeout();

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("not valid", problem!.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("viewer", HttpStatusCode.Forbidden)]
    [InlineData("developer", HttpStatusCode.Forbidden)]
    [InlineData("approver", HttpStatusCode.Forbidden)]
    [InlineData("admin", HttpStatusCode.Created)]
    public async Task CreateUser_EachRole_OnlyAdminMay(string role, HttpStatusCode expected)
    {
        await using var server = await RunningServer.StartAsync();
        var token = await server.CreateUserAsync("caller", role);
        using var client = server.ClientWith(token);

        using var response = await client.PostAsJsonAsync("/api/v1/users", new UserCreateRequest("someone", null, "viewer", null), ApiJsonContext.Default.UserCreateRequest, Ct).DefaultTimeout();

        Assert.Equal(expected, response.StatusCode);
        if (expected == HttpStatusCode.Forbidden)
        {
            var problem = await response.Content.ReadFromJsonAsync(ApiJsonContext.Default.ApiProblem, Ct).DefaultTimeout();
            Assert.Contains("needs the admin role", problem!.Detail, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task RevokedToken_NextCall_Returns401()
    {
        await using var server = await RunningServer.StartAsync();
        using var admin = server.AdminClient();
        using var created = await admin.PostAsJsonAsync("/api/v1/tokens", new TokenCreateRequest(null, "short-lived"), ApiJsonContext.Default.TokenCreateRequest, Ct).DefaultTimeout();
        var token = await created.Content.ReadFromJsonAsync(ApiJsonContext.Default.TokenResponse, Ct).DefaultTimeout();
        using var client = server.ClientWith(token!.Token!);
        using var before = await client.GetAsync("/api/v1/user", Ct).DefaultTimeout();

        using var revoke = await admin.DeleteAsync($"/api/v1/tokens/{token.Id}", Ct).DefaultTimeout();
        using var after = await client.GetAsync("/api/v1/user", Ct).DefaultTimeout();

        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
    }

    [Fact]
    public async Task CreateUser_SameNameTwice_Returns409AndStoreUnchanged()
    {
        await using var server = await RunningServer.StartAsync();
        await server.CreateUserAsync("bob", "viewer");
        using var admin = server.AdminClient();

        using var response = await admin.PostAsJsonAsync("/api/v1/users", new UserCreateRequest("bob", null, "admin", null), ApiJsonContext.Default.UserCreateRequest, Ct).DefaultTimeout();
        var users = await admin.GetFromJsonAsync("/api/v1/users", ApiJsonContext.Default.UserResponseArray, Ct).DefaultTimeout();

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("viewer", Assert.Single(users!, u => u.Name == "bob").Role);
    }

    [Theory]
    [InlineData("{\"name\":\"x'; DROP TABLE users;--\",\"role\":\"viewer\"}")]
    [InlineData("{\"name\":\"ok\",\"role\":\"superuser\"}")]
    [InlineData("{\"name\":\"ok\",\"role\":\"viewer\",\"environments\":[\"prod\"]}")]
    [InlineData("{\"name\":")]
    public async Task CreateUser_BadInput_ClearErrorAndNoUser(string body)
    {
        await using var server = await RunningServer.StartAsync();
        using var admin = server.AdminClient();

        using var response = await admin.PostAsync("/api/v1/users", new StringContent(body, System.Text.Encoding.UTF8, "application/json"), Ct).DefaultTimeout();
        var problem = await response.Content.ReadFromJsonAsync(ApiJsonContext.Default.ApiProblem, Ct).DefaultTimeout();
        var users = await admin.GetFromJsonAsync("/api/v1/users", ApiJsonContext.Default.UserResponseArray, Ct).DefaultTimeout();

        Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.UnprocessableEntity, response.StatusCode.ToString());
        Assert.False(string.IsNullOrEmpty(problem!.Detail));
        Assert.Single(users!);
    }
}
