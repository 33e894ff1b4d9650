using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Azure.Core;
using Microsoft.Extensions.Options;

namespace AriaBot.ScaleOut;

/// <summary>The credential that asks for Key Vault tokens (its own type, so no other Azure client's registration is taken by mistake).</summary>
public sealed record KeyVaultCredential(TokenCredential Credential);

/// <summary>A Key Vault refusal or an unreachable vault, in words safe to log (no token, no key material).</summary>
public sealed class KeyVaultKeyException : Exception
{
    public KeyVaultKeyException() { }

    public KeyVaultKeyException(string message) : base(message) { }

    public KeyVaultKeyException(string message, Exception innerException) : base(message, innerException) { }
}

/// <summary>
/// Key Vault's <c>wrapkey</c> and <c>unwrapkey</c> operations over REST (api-version 7.4, RSA-OAEP-256), with a bearer
/// token from <see cref="KeyVaultCredential"/>. Only a 32-byte data key ever goes to the vault; the private key never
/// leaves it. A stored key names the key version that wrapped it (<c>kid</c>); that address is used to unwrap only
/// when it is the configured key in the configured vault, so a row written into the store cannot send our token
/// elsewhere.
/// </summary>
public sealed class KeyVaultKeyClient(IHttpClientFactory httpClients, KeyVaultCredential credential, IOptions<KeyVaultKeyRingOptions> options)
{
    public const string HttpClientName = "KeyVault";

    /// <summary>The REST API version whose shapes this client speaks.</summary>
    public const string ApiVersion = "7.4";

    /// <summary>The wrapping algorithm: RSA-OAEP with SHA-256.</summary>
    public const string Algorithm = "RSA-OAEP-256";

    private sealed record KeyOperation(
        [property: JsonPropertyName("alg")] string Alg,
        [property: JsonPropertyName("value")] string Value);

    private sealed record KeyOperationResult(
        [property: JsonPropertyName("kid")] string? Kid,
        [property: JsonPropertyName("value")] string? Value);

    private Uri KeyId => options.Value.KeyVaultKeyId ?? throw new InvalidOperationException("DataProtection:KeyVaultKeyId is not set.");

    /// <summary>Wraps <paramref name="dataKey"/> with the configured key; the versioned key id that wrapped it, and the result.</summary>
    public async Task<(string Kid, byte[] Wrapped)> WrapAsync(byte[] dataKey, CancellationToken cancellationToken)
    {
        var result = await SendAsync(new Uri(KeyId.AbsoluteUri.TrimEnd('/') + "/wrapkey?api-version=" + ApiVersion), dataKey, "wrapkey", cancellationToken).ConfigureAwait(false);
        if (string.IsNullOrEmpty(result.Kid))
        {
            throw new KeyVaultKeyException($"Key Vault's answer to wrapkey for {KeyId} named no key version.");
        }
        return (result.Kid, Base64Url.Decode(result.Value!));
    }

    /// <summary>Unwraps <paramref name="wrapped"/> with the key version <paramref name="kid"/> that wrapped it.</summary>
    public async Task<byte[]> UnwrapAsync(string kid, byte[] wrapped, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(kid, UriKind.Absolute, out var address) || !IsConfiguredKey(address))
        {
            throw new KeyVaultKeyException($"A stored Data Protection key was wrapped by a key other than {KeyId}; it is not sent anywhere.");
        }
        var result = await SendAsync(new Uri(address.AbsoluteUri.TrimEnd('/') + "/unwrapkey?api-version=" + ApiVersion), wrapped, "unwrapkey", cancellationToken).ConfigureAwait(false);
        return Base64Url.Decode(result.Value!);
    }

    /// <summary>Same scheme, host, port and key name as the configured key (any version of it).</summary>
    private bool IsConfiguredKey(Uri address) =>
        Uri.Compare(address, KeyId, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0
        && KeyVaultKeyRingOptions.KeyPath(address) is { } path && KeyVaultKeyRingOptions.KeyPath(KeyId) is { } configured
        && string.Equals(path.Name, configured.Name, StringComparison.OrdinalIgnoreCase)
        && (configured.Version is null || string.Equals(path.Version, configured.Version, StringComparison.OrdinalIgnoreCase));

    private async Task<KeyOperationResult> SendAsync(Uri operation, byte[] value, string name, CancellationToken cancellationToken)
    {
        AccessToken token;
        try
        {
            token = await credential.Credential.GetTokenAsync(new TokenRequestContext([options.Value.KeyVaultScope]), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is Azure.Identity.AuthenticationFailedException or Azure.Identity.CredentialUnavailableException)
        {
            throw new KeyVaultKeyException($"No token for Key Vault ({exception.GetType().Name}): the app's identity is missing or not set up.", exception);
        }
        using var request = new HttpRequestMessage(HttpMethod.Post, operation)
        {
            Content = JsonContent.Create(new KeyOperation(Algorithm, Base64Url.Encode(value))),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.Token);
        HttpResponseMessage response;
        try
        {
            response = await httpClients.CreateClient(HttpClientName).SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException exception)
        {
            throw new KeyVaultKeyException($"Key Vault could not be reached for {name} on {KeyId}.", exception);
        }
        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                throw new KeyVaultKeyException($"Key Vault answered {(int)response.StatusCode} ({await ErrorCodeAsync(response, cancellationToken).ConfigureAwait(false)}) to {name} on {KeyId}.");
            }
            var result = await response.Content.ReadFromJsonAsync<KeyOperationResult>(cancellationToken).ConfigureAwait(false);
            return result?.Value is { Length: > 0 } ? result : throw new KeyVaultKeyException($"Key Vault's answer to {name} on {KeyId} held no value.");
        }
    }

    /// <summary>Key Vault's error code (<c>KeyNotFound</c>, <c>Forbidden</c>…), never its whole body.</summary>
    private static async Task<string> ErrorCodeAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
            return body.RootElement.TryGetProperty("error", out var error) && error.TryGetProperty("code", out var code) && code.GetString() is { } text
                ? text
                : "no error code";
        }
        catch (JsonException)
        {
            return "no error code";
        }
    }
}

/// <summary>base64url without padding, as Key Vault's JSON Web Key operations use it.</summary>
internal static class Base64Url
{
    public static string Encode(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static byte[] Decode(string text)
    {
        var base64 = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '='));
    }
}
