using System.Text.Json;
using System.Text.Json.Serialization;
using Aria.Sandbox;
using Aria.Sandbox.Billing;
using Aria.Sandbox.Events;
using Aria.Sandbox.Faults;
using Aria.Sandbox.Hosting;
using Aria.Sandbox.Protocol;
using Aria.Sandbox.Seed;
using Aria.Sandbox.State;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Http;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers and mounts the Aria sandbox.</summary>
public static class AriaSandboxServiceCollectionExtensions
{
    /// <summary>
    /// The name of the Aria client's HttpClient (<c>Aria.Client.AriaClientDefaults.HttpClientName</c>;
    /// a test keeps the two equal). With the sandbox on, its primary handler becomes the in-process
    /// <see cref="AriaSandboxHttpHandler"/>.
    /// </summary>
    public const string AriaHttpClientName = "Aria";

    /// <summary>
    /// Registers the sandbox (state, seed, call log, faults, in-process handler) using the DI
    /// <see cref="TimeProvider"/> as Aria's clock, and fails start-up when <c>Aria:UseSandbox=true</c>
    /// is set outside Development or next to a real <c>Aria:BaseUrl</c>. When the sandbox is on,
    /// the Aria client's HttpClient reaches it in-process.
    /// </summary>
    public static IServiceCollection AddAriaSandbox(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        services.AddOptions<AriaSandboxOptions>()
            .Bind(configuration.GetSection(AriaSandboxOptions.SectionName))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<AriaSandboxOptions>, GuardValidation>();

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new SandboxClock(sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<SandboxEventOutbox>();
        services.TryAddSingleton<SandboxEventEmitter>();
        services.AddHttpClient(SandboxEventOutbox.HttpClientName);
        services.TryAddSingleton<SandboxState>();
        services.TryAddSingleton<SandboxCallLog>();
        services.TryAddSingleton<SandboxFaults>();
        services.TryAddSingleton<SandboxSeeder>();
        services.TryAddSingleton<SandboxDispatcher>();
        services.TryAddSingleton(sp => new SandboxRequestProcessor(sp.GetRequiredService<SandboxDispatcher>(), sp.GetRequiredService<SandboxFaults>()));
        services.TryAddSingleton(sp => new AriaSandbox(
            sp.GetRequiredService<SandboxState>(), sp.GetRequiredService<SandboxSeeder>(), sp.GetRequiredService<SandboxCallLog>(), sp.GetRequiredService<SandboxFaults>(),
            sp.GetRequiredService<SandboxClock>(), sp.GetRequiredService<SandboxEventEmitter>(), sp.GetRequiredService<SandboxEventOutbox>()));
        services.TryAddTransient<AriaSandboxHttpHandler>();

        // PostConfigure: runs after the client's own registration (Refit sets a primary handler
        // too), whichever of AddAriaClient and AddAriaSandbox the host calls first.
        services.AddOptions<HttpClientFactoryOptions>(AriaHttpClientName).PostConfigure<IServiceProvider>((factory, sp) =>
        {
            var environment = sp.GetService<IHostEnvironment>()?.EnvironmentName ?? Environments.Production;
            if (AriaSandboxGuard.IsEnabled(sp.GetRequiredService<IOptions<AriaSandboxOptions>>().Value, environment))
            {
                factory.HttpMessageHandlerBuilderActions.Add(b => b.PrimaryHandler = sp.GetRequiredService<AriaSandboxHttpHandler>());
            }
        });
        return services;
    }

    /// <summary>Sends this HttpClient's requests to the sandbox in-process, whatever the environment (tests).</summary>
    public static IHttpClientBuilder UseAriaSandboxInProcess(this IHttpClientBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.ConfigurePrimaryHttpMessageHandler(sp => sp.GetRequiredService<AriaSandboxHttpHandler>());
    }

    /// <summary>
    /// Mounts the sandbox under <c>/aria-sandbox</c>: the dispatcher (form) at
    /// <c>/aria-sandbox/api/ws/api_ws_class_dispatcher.php</c>, JSON at <c>/aria-sandbox/v1/core</c>,
    /// admin under <c>/aria-sandbox/admin/…</c>. Unless the environment is Development and
    /// <c>Aria:UseSandbox=true</c>, every path under the prefix answers 404.
    /// </summary>
    public static IEndpointRouteBuilder MapAriaSandbox(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var options = endpoints.ServiceProvider.GetRequiredService<IOptions<AriaSandboxOptions>>().Value;
        var environment = endpoints.ServiceProvider.GetRequiredService<IHostEnvironment>();
        var prefix = "/" + options.PathPrefix.Trim('/');
        if (!AriaSandboxGuard.IsEnabled(options, environment.EnvironmentName))
        {
            // Claim the prefix so that no fallback route (a SPA page, say) answers for it.
            endpoints.Map(prefix, () => Results.NotFound());
            endpoints.Map(prefix + "/{**rest}", () => Results.NotFound());
            return endpoints;
        }

        var group = endpoints.MapGroup(prefix);
        RequestDelegate aria = context => context.RequestServices.GetRequiredService<SandboxRequestProcessor>().HandleAsync(context);
        group.MapPost(SandboxPaths.Dispatcher, aria);
        group.MapPost(SandboxPaths.Core, aria);

        var admin = group.MapGroup("/admin");
        admin.MapGet("/demo-accounts", (AriaSandbox sandbox) => sandbox.DemoAccounts.Select(a => new { user_id = a.UserId, password = a.Password, acct_no = a.AcctNo, description = a.Description }));
        admin.MapGet("/calls", (AriaSandbox sandbox, string? rest_call, long? acct_no) =>
            sandbox.Calls.All.Where(c => (rest_call is null || c.RestCall == rest_call) && (acct_no is null || c.AcctNo == acct_no))
                .Select(c => new { at = c.At, rest_call = c.RestCall, acct_no = c.AcctNo, error_code = c.ErrorCode, do_write = c.DoWrite, transport = c.Transport }));
        admin.MapDelete("/calls", (AriaSandbox sandbox) =>
        {
            sandbox.Calls.Clear();
            return Results.NoContent();
        });
        admin.MapPost("/reset", (AriaSandbox sandbox) =>
        {
            sandbox.Reset();
            return Results.NoContent();
        });
        admin.MapGet("/faults", (AriaSandbox sandbox) => new { latency_ms = sandbox.Faults.Latency.TotalMilliseconds, pending = sandbox.Faults.Pending });
        admin.MapDelete("/faults", (AriaSandbox sandbox) =>
        {
            sandbox.Faults.Clear();
            return Results.NoContent();
        });
        admin.MapPost("/faults", async (HttpContext context, AriaSandbox sandbox) =>
        {
            // Read by hand so that a malformed body gets a plain 400, not Development's exception page.
            FaultRequest? request;
            try
            {
                request = await JsonSerializer.DeserializeAsync<FaultRequest>(context.Request.Body, cancellationToken: context.RequestAborted);
            }
            catch (JsonException)
            {
                request = null;
            }

            return request is null ? Results.BadRequest(new { error = "the body must be a JSON object" }) : AddFault(sandbox, request);
        });
        admin.MapSandboxClockAndEvents();
        return endpoints;
    }

    private static IResult AddFault(AriaSandbox sandbox, FaultRequest request)
    {
        var count = request.Count ?? 1;
        switch (request.Kind)
        {
            case "latency":
                sandbox.Faults.Latency = TimeSpan.FromMilliseconds(Math.Max(0, request.DelayMs ?? 0));
                return Results.NoContent();
            case "error_code" when request.ErrorCode is { } code && request.RestCall is { } call:
                sandbox.Faults.FailNext(call, code, count, request.Message);
                return Results.NoContent();
            case "http_status" when request.HttpStatus is { } status and >= 400 and <= 599:
                sandbox.Faults.HttpStatusNext(request.RestCall, status, count);
                return Results.NoContent();
            case "timeout":
                sandbox.Faults.TimeoutNext(request.RestCall, count);
                return Results.NoContent();
            case "lose_response":
                sandbox.Faults.LoseResponseNext(request.RestCall, count);
                return Results.NoContent();
            default:
                return Results.BadRequest(new
                {
                    error = "kind must be latency (delay_ms), error_code (rest_call, error_code), http_status (http_status 400-599), timeout or lose_response; count defaults to 1",
                });
        }
    }

    private sealed record FaultRequest(
        [property: JsonPropertyName("kind")] string? Kind,
        [property: JsonPropertyName("rest_call")] string? RestCall,
        [property: JsonPropertyName("count")] int? Count,
        [property: JsonPropertyName("error_code")] long? ErrorCode,
        [property: JsonPropertyName("message")] string? Message,
        [property: JsonPropertyName("http_status")] int? HttpStatus,
        [property: JsonPropertyName("delay_ms")] double? DelayMs);

    private sealed class GuardValidation(IHostEnvironment? environment = null) : IValidateOptions<AriaSandboxOptions>
    {
        public ValidateOptionsResult Validate(string? name, AriaSandboxOptions options)
        {
            var problems = AriaSandboxGuard.Check(options, environment?.EnvironmentName ?? Environments.Production);
            return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
        }
    }
}
