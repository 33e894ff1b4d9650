using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AriaBot.Handoff;
using Microsoft.AspNetCore.Identity;

namespace AriaBot.Tests.Handoff;

/// <summary>
/// An agent's browser on the console API, as the page uses it: https (the session cookie is Secure), same-origin
/// requests, the antiforgery token fetched before signing in and again after.
/// </summary>
internal sealed class AgentConsole(AssistantTestHost host) : IDisposable
{
    public const string Password = "correct horse battery staple";

    private string? _token;

    public HttpClient Browser { get; } = host.NewBrowser(new Uri("https://localhost"));

    /// <summary>The settings for a host with handoff on and three configured agents: Dana and Lee (agents), Vic (no agent role).</summary>
    public static Dictionary<string, string?> Settings(Dictionary<string, string?>? more = null)
    {
        var hasher = new PasswordHasher<ConfiguredAgent>();
        var settings = new Dictionary<string, string?>
        {
            ["Handoff:Enabled"] = "true",
            ["Handoff:Agents:0:Login"] = "dana@example.com",
            ["Handoff:Agents:0:DisplayName"] = "Dana",
            ["Handoff:Agents:0:PasswordHash"] = hasher.HashPassword(new ConfiguredAgent(), Password),
            ["Handoff:Agents:1:Login"] = "lee@example.com",
            ["Handoff:Agents:1:DisplayName"] = "Lee",
            ["Handoff:Agents:1:PasswordHash"] = hasher.HashPassword(new ConfiguredAgent(), Password),
            ["Handoff:Agents:2:Login"] = "vic@example.com",
            ["Handoff:Agents:2:DisplayName"] = "Vic",
            ["Handoff:Agents:2:PasswordHash"] = hasher.HashPassword(new ConfiguredAgent(), Password),
            ["Handoff:Agents:2:Roles:0"] = "billing-viewer",
        };
        foreach (var (key, value) in more ?? [])
        {
            settings[key] = value;
        }
        return settings;
    }

    public async Task RefreshTokenAsync()
    {
        var response = await Browser.GetAsync(new Uri("/agent/api/antiforgery", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        _token = (await Json(response)).GetProperty("token").GetString();
    }

    public async Task<HttpResponseMessage> SignInAsync(string login, string password = Password)
    {
        await RefreshTokenAsync();
        var response = await PostAsync("/agent/api/login", new { login, password });
        if (response.StatusCode == HttpStatusCode.NoContent)
        {
            // The token is bound to who is signed in.
            await RefreshTokenAsync();
        }
        return response;
    }

    public async Task<HttpResponseMessage> PostAsync(string path, object? body = null, bool withToken = true, string? site = "same-origin")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative)) { Content = JsonContent.Create(body ?? new { }) };
        if (site is not null)
        {
            request.Headers.Add("Sec-Fetch-Site", site);
        }
        if (withToken && _token is not null)
        {
            request.Headers.Add("RequestVerificationToken", _token);
        }
        return await Browser.SendAsync(request);
    }

    public async Task<HttpResponseMessage> GetAsync(string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        request.Headers.Add("Sec-Fetch-Site", "same-origin");
        return await Browser.SendAsync(request);
    }

    public async Task<JsonElement> QueueAsync()
    {
        var response = await GetAsync("/agent/api/queue");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await Json(response);
    }

    public async Task<JsonElement> CaseAsync(string id)
    {
        var response = await GetAsync($"/agent/api/handoffs/{id}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await Json(response);
    }

    public static async Task<JsonElement> Json(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();

    public void Dispose() => Browser.Dispose();
}
