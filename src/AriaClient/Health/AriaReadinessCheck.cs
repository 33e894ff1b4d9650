using Aria.Client.Models;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Aria.Client.Health;

/// <summary>
/// Readiness: can this host talk to Aria with its credentials? The seed's two preconditions are an
/// allow-listed IP (else 1003) and a right client number and key (else 1004). The probe validates a
/// session id that cannot exist: Aria checks the caller before the session, so 1011 ("invalid
/// session") proves both preconditions without touching any account.
/// </summary>
public sealed class AriaReadinessCheck(IAriaClient aria) : IHealthCheck
{
    internal const string ProbeSessionId = "ariabot-readiness-probe";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var result = await aria.ValidateSessionAsync(new ValidateSessionMRequest { SessionId = ProbeSessionId }, cancellationToken).ConfigureAwait(false);
        if (result.IsSuccess || result.Error.IsSessionInvalid)
        {
            return HealthCheckResult.Healthy("Aria accepts this host's client number, key and IP address.");
        }

        var error = result.Error;
        var data = new Dictionary<string, object> { ["aria_error_code"] = error.Code, ["aria_error_kind"] = error.Kind.ToString() };
        var description = error switch
        {
            _ when error.Is(AriaErrorCode.HostNotPermitted) =>
                "Aria refused this host's IP address (1003): ask Aria to allow-list it for the client.",
            _ when error.Is(AriaErrorCode.AuthenticationFailed) =>
                "Aria rejected the client number or auth key (1004): check Aria:ClientNo and Aria:AuthKey.",
            _ when error.IsUnavailable => $"Aria is unreachable: {error.Message}",
            _ => $"Aria answered the readiness probe with {error}.",
        };
        return HealthCheckResult.Unhealthy(description, data: data);
    }
}
