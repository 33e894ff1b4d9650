namespace Aria.Sandbox;

/// <summary>
/// Sandbox settings, read from the same <c>Aria</c> section as the client's: the sandbox is on only
/// when <c>Aria:UseSandbox</c> is true in Development.
/// </summary>
public sealed class AriaSandboxOptions
{
    public const string SectionName = "Aria";

    /// <summary>Serve the simulated Aria (Development only). Default false.</summary>
    public bool UseSandbox { get; set; }

    /// <summary>Where the client sends calls; with the sandbox on it must be a loopback URL (the sandbox). No default.</summary>
    public Uri? BaseUrl { get; set; }

    /// <summary>A seed file to load instead of the embedded demo data. Default: none (embedded demo data).</summary>
    public string? SeedFile { get; set; }

    /// <summary>Path the endpoints are mounted under in the bot host. Default <c>/aria-sandbox</c>.</summary>
    public string PathPrefix { get; set; } = "/aria-sandbox";

    /// <summary>Event notifications the sandbox sends (<c>Aria:SandboxEvents</c>). Default: none.</summary>
    public Events.SandboxEventsOptions SandboxEvents { get; set; } = new();
}
