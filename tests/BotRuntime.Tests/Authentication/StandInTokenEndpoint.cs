using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BotRuntime.Tests.Authentication;

/// <summary>
/// A local Azure AD token endpoint (https on loopback with a certificate made for the test, because MSAL refuses
/// http authorities) and a local managed-identity (IMDS) endpoint, so MSAL runs for real without the internet.
/// </summary>
internal sealed class StandInTokenEndpoint : IAsyncDisposable
{
    // Made once per test run: key generation is slow on a shared box, and the certificate is only for loopback.
    private static readonly Lazy<X509Certificate2> SharedCertificate = new(CreateCertificate);

    private readonly WebApplication _app;
    private readonly X509Certificate2 _certificate;
    private int _issued;

    public sealed record TokenRequest(string Path, IReadOnlyDictionary<string, string> Form, IReadOnlyDictionary<string, string> Query);

    public ConcurrentQueue<TokenRequest> Requests { get; } = new();

    /// <summary>The <c>expires_in</c> of issued tokens. Default one hour, as Azure AD.</summary>
    public int ExpiresInSeconds { get; set; } = 3600;

    private StandInTokenEndpoint(WebApplication app, X509Certificate2 certificate)
    {
        _app = app;
        _certificate = certificate;
    }

    private IEnumerable<string> Addresses => _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;

    /// <summary>The login endpoint to configure as <c>Bot:CloudSettings:LoginEndpoint</c>.</summary>
    public string LoginEndpoint => Addresses.First(address => address.StartsWith("https:", StringComparison.Ordinal));

    private Uri ManagedIdentityBase => new(Addresses.First(address => address.StartsWith("http:", StringComparison.Ordinal)));

    public static async Task<StandInTokenEndpoint> StartAsync()
    {
        var certificate = SharedCertificate.Value;
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(certificate));
            kestrel.Listen(IPAddress.Loopback, 0);
        });
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var endpoint = new StandInTokenEndpoint(app, certificate);
        app.MapPost("/{tenant}/oauth2/v2.0/token", async (HttpContext context) =>
        {
            var form = (await context.Request.ReadFormAsync()).ToDictionary(pair => pair.Key, pair => pair.Value.ToString());
            endpoint.Requests.Enqueue(new TokenRequest(context.Request.Path, form, new Dictionary<string, string>()));
            return Results.Json(new Dictionary<string, object>
            {
                ["token_type"] = "Bearer",
                ["expires_in"] = endpoint.ExpiresInSeconds,
                ["ext_expires_in"] = endpoint.ExpiresInSeconds,
                ["access_token"] = endpoint.NextToken("cc"),
            });
        });
        app.MapGet("/metadata/identity/oauth2/token", (HttpContext context) =>
        {
            var query = context.Request.Query.ToDictionary(pair => pair.Key, pair => pair.Value.ToString());
            endpoint.Requests.Enqueue(new TokenRequest(context.Request.Path, new Dictionary<string, string>(), query));
            return Results.Json(new Dictionary<string, object>
            {
                ["token_type"] = "Bearer",
                ["expires_in"] = endpoint.ExpiresInSeconds.ToString(CultureInfo.InvariantCulture),
                ["resource"] = query.GetValueOrDefault("resource") ?? "",
                ["access_token"] = endpoint.NextToken("mi"),
            });
        });
        await app.StartAsync();
        return endpoint;
    }

    private string NextToken(string kind) => $"{kind}-token-{Interlocked.Increment(ref _issued)}";

    /// <summary>
    /// The primary handler for the bot's token HttpClient: trusts exactly this server's certificate, and sends what
    /// MSAL addresses to the fixed IMDS address (169.254.169.254) here instead.
    /// </summary>
    public HttpMessageHandler CreateHandler() => new RedirectManagedIdentity(ManagedIdentityBase)
    {
        InnerHandler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, certificate, _, _) => certificate is not null && certificate.Thumbprint == _certificate.Thumbprint,
        },
    };

    private sealed class RedirectManagedIdentity(Uri target) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.RequestUri is { Host: "169.254.169.254" } imds)
            {
                request.RequestUri = new Uri(target, imds.PathAndQuery);
            }
            return base.SendAsync(request, cancellationToken);
        }
    }

    private static X509Certificate2 CreateCertificate()
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        var now = TimeProvider.System.GetUtcNow();
        using var created = request.CreateSelfSigned(now.AddDays(-1), now.AddDays(1));
        // Kestrel needs the private key in a form it can use on every platform: round-trip through PKCS#12.
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pfx), null);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
