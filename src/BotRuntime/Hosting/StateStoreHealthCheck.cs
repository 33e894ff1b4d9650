using BotRuntime.State;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace BotRuntime.Hosting;

/// <summary>
/// Readiness of the state store: one read of a key that is never written. An instance whose store does not answer can
/// take no turn (conversation state, Direct Line inbox, redelivery records all live there), so a load balancer should
/// send it nothing until it does.
/// </summary>
internal sealed class StateStoreHealthCheck(IStorage storage) : IHealthCheck
{
    public const string Name = "state";

    private const string ProbeKey = "healthz/probe";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await storage.ReadAsync([ProbeKey], cancellationToken).ConfigureAwait(false);
            return HealthCheckResult.Healthy();
        }
#pragma warning disable CA1031 // Whatever the store throws, the answer is "not ready"; the exception goes to the health log.
        catch (Exception exception) when (exception is not OperationCanceledException)
#pragma warning restore CA1031
        {
            return HealthCheckResult.Unhealthy("The state store did not answer.", exception);
        }
    }
}
