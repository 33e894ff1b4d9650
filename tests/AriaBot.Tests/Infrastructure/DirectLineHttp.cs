using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace AriaBot.Tests;

/// <summary>Plain HTTP calls to the assistant's endpoints as a channel or a portal's server makes them: JSON in, JSON out.</summary>
internal static class DirectLineHttp
{
    public static async Task<HttpResponseMessage> SendAsync(AssistantTestHost host, HttpMethod method, string path, string? bearer, object? body = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }
        if (body is not null)
        {
            request.Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
        }
        return await host.Client.SendAsync(request);
    }

    public static async Task<JsonElement> Json(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
}
