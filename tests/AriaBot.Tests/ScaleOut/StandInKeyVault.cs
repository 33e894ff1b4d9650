using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AriaBot.Tests.ScaleOut;

/// <summary>
/// A stand-in for Azure Key Vault on loopback Kestrel: the REST operations <c>wrapkey</c> and <c>unwrapkey</c>
/// (api-version 7.4, RSA-OAEP-256, base64url values) with a real RSA key, for one key name and version, answering
/// 401 without the expected bearer token and 404 <c>KeyNotFound</c> for any other key, as the service does.
/// </summary>
internal sealed class StandInKeyVault : IAsyncDisposable
{
    public const string KeyName = "dataprotection";
    public const string KeyVersion = "0f1e2d3c4b5a69788796a5b4c3d2e1f0";

    private readonly RSA _rsa = RSA.Create(2048);
    private readonly WebApplication _app;

    private StandInKeyVault(WebApplication app, string token)
    {
        _app = app;
        ExpectedToken = token;
    }

    public string ExpectedToken { get; }

    /// <summary>Each call as "{operation} {status}".</summary>
    public ConcurrentQueue<string> Calls { get; } = new();

    public Uri BaseUrl => new(_app.Urls.Single());

    /// <summary>The versionless identifier of the vault's key (what DataProtection:KeyVaultKeyId is set to).</summary>
    public Uri KeyId => new(BaseUrl, $"/keys/{KeyName}");

    public static async Task<StandInKeyVault> StartAsync(string token)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = Environments.Production });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var vault = new StandInKeyVault(app, token);
        app.MapPost("/keys/{name}/{version}/{operation}", (string name, string version, string operation, HttpContext context) => vault.OperateAsync(name, version, operation, context));
        app.MapPost("/keys/{name}/{operation}", (string name, string operation, HttpContext context) => vault.OperateAsync(name, null, operation, context));
        await app.StartAsync();
        return vault;
    }

    private async Task<IResult> OperateAsync(string name, string? version, string operation, HttpContext context)
    {
        var result = await AnswerAsync(name, version, operation, context);
        Calls.Enqueue($"{operation} {(result as IStatusCodeHttpResult)?.StatusCode ?? 200}");
        return result;
    }

    private async Task<IResult> AnswerAsync(string name, string? version, string operation, HttpContext context)
    {
        if (context.Request.Headers.Authorization != $"Bearer {ExpectedToken}")
        {
            return Error(401, "Unauthorized");
        }
        if (context.Request.Query["api-version"] != "7.4" || operation is not ("wrapkey" or "unwrapkey"))
        {
            return Error(400, "BadParameter");
        }
        if (name != KeyName || (version is not null && version != KeyVersion))
        {
            return Error(404, "KeyNotFound");
        }
        var body = await JsonSerializer.DeserializeAsync<JsonObject>(context.Request.Body);
        if ((string?)body?["alg"] != "RSA-OAEP-256" || (string?)body?["value"] is not { } value)
        {
            return Error(400, "BadParameter");
        }
        byte[] output;
        try
        {
            var input = Decode(value);
            output = operation == "wrapkey" ? _rsa.Encrypt(input, RSAEncryptionPadding.OaepSHA256) : _rsa.Decrypt(input, RSAEncryptionPadding.OaepSHA256);
        }
        catch (CryptographicException)
        {
            return Error(400, "BadParameter");
        }
        return Results.Json(new { kid = new Uri(BaseUrl, $"/keys/{KeyName}/{KeyVersion}").AbsoluteUri, value = Convert.ToBase64String(output).TrimEnd('=').Replace('+', '-').Replace('/', '_') });
    }

    private static IResult Error(int status, string code) => Results.Json(new { error = new { code, message = $"stand-in: {code}" } }, statusCode: status);

    private static byte[] Decode(string text)
    {
        var base64 = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '='));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _rsa.Dispose();
    }
}

/// <summary>A credential that hands out one fixed token and remembers the scopes it was asked for.</summary>
internal sealed class StandInCredential(string token) : TokenCredential
{
    public ConcurrentQueue<string> Scopes { get; } = new();

    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
    {
        foreach (var scope in requestContext.Scopes)
        {
            Scopes.Enqueue(scope);
        }
        return new AccessToken(token, TimeProvider.System.GetUtcNow().AddHours(1));
    }

    public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        ValueTask.FromResult(GetToken(requestContext, cancellationToken));
}
