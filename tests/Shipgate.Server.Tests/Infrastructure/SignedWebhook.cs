using System.Net.Http.Headers;
using System.Text;
using Shipgate.Server.Triggers;

namespace Shipgate.Server.Tests.Infrastructure;

/// <summary>GitHub webhook deliveries as GitHub sends them: the body signed with the project's secret (X-Hub-Signature-256).</summary>
internal static class SignedWebhook
{
    /// <summary>A push of <paramref name="after"/> to <paramref name="gitRef"/>.</summary>
    public static string PushBody(string before, string after, string gitRef = "refs/heads/main") =>
        $$"""{"ref":"{{gitRef}}","before":"{{before}}","after":"{{after}}","repository":{"full_name":"acme/web"},"commits":[]}""";

    /// <summary>Posts <paramref name="body"/> to <c>/api/v1/hooks/github?project=web</c>, signed with <paramref name="secret"/>; the caller disposes the response.</summary>
    public static async Task<HttpResponseMessage> PostAsync(HttpClient client, string eventName, string body, string secret, string delivery, string project = "web")
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/hooks/github?project={project}") { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.TryAddWithoutValidation("X-GitHub-Event", eventName);
        request.Headers.TryAddWithoutValidation("X-GitHub-Delivery", delivery);
        request.Headers.Add(WebhookSignature.HeaderName, WebhookSignature.Compute(bytes, secret));
        return await client.SendAsync(request, Ct).DefaultTimeout();
    }
}
