using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace Aria.Sandbox.Hosting;

/// <summary>
/// The start-up rule that keeps the sandbox away from a real Aria: with <c>Aria:UseSandbox=true</c>
/// the environment must be Development and <c>Aria:BaseUrl</c> must point at the sandbox (a
/// loopback address), never at a real Aria host. Call <see cref="Validate"/> from the host, or let
/// <c>AddAriaSandbox</c> run it at start-up.
/// </summary>
public static class AriaSandboxGuard
{
    /// <summary>The problems with this configuration; empty when it is safe to start.</summary>
    public static IReadOnlyList<string> Check(AriaSandboxOptions options, string environmentName)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new List<string>();
        if (!options.UseSandbox)
        {
            return problems;
        }

        if (!string.Equals(environmentName, Environments.Development, StringComparison.OrdinalIgnoreCase))
        {
            problems.Add($"Aria:UseSandbox=true is allowed only in Development (environment is {environmentName}).");
        }

        problems.AddRange(options.SandboxEvents.Problems());
        if (options.BaseUrl is { } url && !IsSandboxUrl(url))
        {
            problems.Add($"Aria:UseSandbox=true next to a real Aria: Aria:BaseUrl ({url.Host}) must point at the sandbox (a loopback address).");
        }

        return problems;
    }

    /// <summary>Throws when <see cref="Check"/> finds a problem.</summary>
    public static void Validate(IConfiguration configuration, IHostEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(environment);
        var options = configuration.GetSection(AriaSandboxOptions.SectionName).Get<AriaSandboxOptions>() ?? new AriaSandboxOptions();
        var problems = Check(options, environment.EnvironmentName);
        if (problems.Count > 0)
        {
            throw new InvalidOperationException(string.Join(" ", problems));
        }
    }

    public static bool IsEnabled(AriaSandboxOptions options, string environmentName) =>
        options.UseSandbox && Check(options, environmentName).Count == 0;

    private static bool IsSandboxUrl(Uri url) =>
        url.IsLoopback || (IPAddress.TryParse(url.Host, out var ip) && IPAddress.IsLoopback(ip));
}
