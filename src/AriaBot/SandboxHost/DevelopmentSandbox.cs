#if ARIA_SANDBOX
using Aria.Sandbox;
using Aria.Sandbox.Hosting;
using Microsoft.Extensions.Options;
#endif

namespace AriaBot.SandboxHost;

/// <summary>
/// The Aria simulator (<c>src/AriaSandbox</c>) as the bot host sees it; no other file of AriaBot names it. AriaBot.csproj
/// references the sandbox and defines <c>ARIA_SANDBOX</c> in Debug builds only, so <c>dotnet run --project src/AriaBot</c>
/// and the tests run against it while a Release publish carries no simulator and no demo sign-in. A compile-time switch
/// rather than a plug-in loaded by configuration: what ships is decided by the build, and no setting can bring the
/// simulator back into a production folder.
/// </summary>
public static class DevelopmentSandboxHosting
{
    /// <summary>The Release build's refusal, in the same words wherever it is read.</summary>
    internal const string NotInThisBuild =
        "Aria:UseSandbox=true is refused: this build of AriaBot has no Aria sandbox (it is compiled into Debug builds only, " +
        "as `dotnet run --project src/AriaBot` makes). Set Aria:UseSandbox=false and point Aria:BaseUrl at your Aria, " +
        "or run the simulator on its own with `dotnet run --project src/AriaSandbox.Host`.";

    public static WebApplicationBuilder AddDevelopmentSandbox(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
#if ARIA_SANDBOX
        // Refuses Aria:UseSandbox=true outside Development or next to a real Aria:BaseUrl (AriaSandboxGuard).
        builder.Services.AddAriaSandbox(builder.Configuration);
#else
        // Read only to refuse it: a host told to use a simulator it does not have must not call whatever Aria:BaseUrl names.
        builder.Services.AddOptions<AbsentSandboxOptions>().BindConfiguration(AbsentSandboxOptions.SectionName)
            .Validate(options => !options.UseSandbox, NotInThisBuild)
            .ValidateOnStart();
#endif
        builder.Services.AddSingleton<DevelopmentSandbox>();
        return builder;
    }

    public static WebApplication MapDevelopmentSandbox(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
#if ARIA_SANDBOX
        app.MapAriaSandbox();
#else
        // The prefix still answers 404, as in a Debug build with the sandbox off, so nothing else ever answers for it.
        app.Map("/aria-sandbox", () => Results.NotFound());
        app.Map("/aria-sandbox/{**rest}", () => Results.NotFound());
#endif
        return app;
    }

#if !ARIA_SANDBOX
    /// <summary>The one sandbox setting a Release build reads (section <c>Aria</c>), to refuse it.</summary>
    internal sealed class AbsentSandboxOptions
    {
        public const string SectionName = "Aria";

        public bool UseSandbox { get; set; }
    }
#endif
}

/// <summary>
/// Whether the sandbox serves this process (a Debug build in Development with <c>Aria:UseSandbox=true</c> and a loopback
/// <c>Aria:BaseUrl</c>), and its demo accounts for the demo portal sign-in. Always off in a Release build.
/// </summary>
public sealed class DevelopmentSandbox
{
#if ARIA_SANDBOX
    private readonly IServiceProvider _services;

    public DevelopmentSandbox(IServiceProvider services, IOptions<AriaSandboxOptions> options, IHostEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(environment);
        _services = services;
        Enabled = AriaSandboxGuard.IsEnabled(options.Value, environment.EnvironmentName);
    }

    public bool Enabled { get; }

    /// <summary>The sandbox's demo customers, read from its current state (a reset brings back the seeded names).</summary>
    public IReadOnlyList<SandboxDemoAccount> DemoAccounts()
    {
        if (!Enabled)
        {
            return [];
        }
        var sandbox = _services.GetRequiredService<AriaSandbox>();
        return [.. sandbox.DemoAccounts.Select(a =>
        {
            var contact = sandbox.Account(a.AcctNo).AccountContact;
            return new SandboxDemoAccount(a.UserId, $"{contact.FirstName} {contact.LastName}".Trim(), a.AcctNo, a.Description);
        })];
    }
#else
    public bool Enabled => false;

    public IReadOnlyList<SandboxDemoAccount> DemoAccounts() => [];
#endif
}

/// <summary>A demo customer of the sandbox: who the demo portal may sign in as.</summary>
public sealed record SandboxDemoAccount(string UserId, string Name, long AcctNo, string Description);
