namespace Aria.Client;

/// <summary>Names other components use to find the Aria client's parts.</summary>
public static class AriaClientDefaults
{
    /// <summary>
    /// The named <see cref="HttpClient"/> behind <see cref="IAriaCoreApi"/>. The sandbox configures
    /// this name's primary handler to reach itself in-process (kept equal by a test).
    /// </summary>
    public const string HttpClientName = "Aria";

    public const string ResiliencePipelineName = "aria";

    /// <summary>
    /// A keyed <see cref="TimeProvider"/> registered under this key drives the resilience pipeline
    /// (retry delays, timeouts, circuit breaker) instead of real time; for tests only.
    /// </summary>
    public const string ResilienceTimeProviderKey = "Aria.Resilience";
}
