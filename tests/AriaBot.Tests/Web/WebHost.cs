using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using BotRuntime.DirectLine;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace AriaBot.Tests.Web;

/// <summary>The real host for the page tests, in Development (sandbox, demo portal) or as Production must be configured.</summary>
internal static class WebHost
{
    public static readonly Dictionary<string, string?> ProductionSettings = new()
    {
        ["Bot:AllowAnonymous"] = "true",
        ["DirectLine:Secrets:0"] = "web-tests-direct-line-secret-0123456789",
        ["DirectLine:SigningKey"] = Convert.ToBase64String(new byte[32]),
        ["Aria:UseSandbox"] = "false",
        ["Aria:BaseUrl"] = "https://aria.invalid",
        ["Aria:ClientNo"] = "1",
        ["Aria:AuthKey"] = "not-a-real-key",
        ["SignIn:PublicBaseUrl"] = "https://bot.example.com",
        ["SelfService:TermsUrl"] = "https://www.example.com/terms",
    };

    public static WebApplicationFactory<Program> Create(string environment = "Development", IDictionary<string, string?>? settings = null, ISessionBindingSink? sink = null) =>
        new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            builder.UseEnvironment(environment);
            builder.UseSetting("State:Provider", "Memory");
            if (environment == "Production")
            {
                foreach (var (key, value) in ProductionSettings)
                {
                    builder.UseSetting(key, value);
                }
            }
            foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            {
                builder.UseSetting(key, value);
            }
            if (sink is not null)
            {
                builder.ConfigureTestServices(services => services.AddSingleton(sink));
            }
        });

    /// <summary>A client that behaves like the page's own script: same-origin fetches, cookies kept.</summary>
    public static HttpClient PageClient(this WebApplicationFactory<Program> factory)
    {
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Add("Sec-Fetch-Site", "same-origin");
        return client;
    }

    public static JsonElement JwtPayload(string token) =>
        JsonDocument.Parse(Base64UrlDecode(token.Split('.')[1])).RootElement;

    private static byte[] Base64UrlDecode(string value)
    {
        var padded = value.Replace('-', '+').Replace('_', '/');
        padded += new string('=', (4 - (padded.Length % 4)) % 4);
        return Convert.FromBase64String(padded);
    }

    public static string Flatten(Exception exception)
    {
        var text = new StringBuilder();
        for (var e = exception; e is not null; e = e.InnerException)
        {
            text.AppendLine(e.Message);
            if (e is AggregateException aggregate)
            {
                foreach (var inner in aggregate.InnerExceptions)
                {
                    text.AppendLine(Flatten(inner));
                }
            }
        }
        return text.ToString();
    }
}

/// <summary>Stands in for the sign-in feature's sink: accepts every binding and keeps what it was given.</summary>
internal sealed class RecordingSink : ISessionBindingSink
{
    public ConcurrentQueue<SessionBindingRequest> Requests { get; } = new();

    public Task<SessionBindingResult> BindAsync(SessionBindingRequest request, CancellationToken cancellationToken)
    {
        Requests.Enqueue(request);
        return Task.FromResult(SessionBindingResult.Bound);
    }
}
