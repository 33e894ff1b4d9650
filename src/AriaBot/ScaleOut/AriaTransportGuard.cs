using System.Net;
using Aria.Client;
using Microsoft.Extensions.Options;

namespace AriaBot.ScaleOut;

/// <summary>
/// Every Aria call carries the client's <c>auth_key</c>, so <c>Aria:BaseUrl</c> over plain http is refused outside
/// Development unless it names this machine — where a second local instance points at the sandbox another one hosts
/// (the two-instance test), or a test stand-in listens. Anything else must be https.
/// </summary>
public sealed class AriaTransportGuard(IHostEnvironment environment) : IValidateOptions<AriaOptions>
{
    public ValidateOptionsResult Validate(string? name, AriaOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.BaseUrl is not { IsAbsoluteUri: true } url || url.Scheme != Uri.UriSchemeHttp || environment.IsDevelopment() || IsLoopback(url))
        {
            return ValidateOptionsResult.Success;
        }
        return ValidateOptionsResult.Fail(
            $"Aria:BaseUrl must use https outside Development (it is http://{url.Host}): every call carries Aria's auth_key. Plain http is allowed only to a loopback address.");
    }

    private static bool IsLoopback(Uri url) => url.IsLoopback || (IPAddress.TryParse(url.Host, out var ip) && IPAddress.IsLoopback(ip));
}
