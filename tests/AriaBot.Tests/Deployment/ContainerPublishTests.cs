using System.Diagnostics;
using System.Text;
using AriaBot.Tests.Hosting;
using Aria.Sandbox;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace AriaBot.Tests.Deployment;

/// <summary>
/// The container without a container engine: the Dockerfile publishes with <c>deploy/publish.sh</c> (the one script
/// this test runs too, so they cannot drift), and the published output started with <c>deploy/compose.yaml</c>'s bot
/// environment over PostgreSQL answers <c>/healthz/ready</c> green, writing nothing into its own folder (the image's
/// root file system can be read-only). Aria is the sandbox served over real HTTP on loopback.
/// </summary>
[Collection(ReleaseBuildCollection.Name)]
public sealed class ContainerPublishTests(ContainerPublish publish)
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromMinutes(2);

    private const string PostgresSkipReason =
        "The container start test did not run: ARIABOT_TEST_POSTGRES is not set (./test.sh starts a local PostgreSQL with scripts/postgres.sh and sets it).";

    [Fact]
    public void The_Dockerfile_publishes_with_the_shared_script_and_runs_it_non_root_with_a_readiness_healthcheck()
    {
        var dockerfile = ContainerPublish.ReadRepositoryFile("Dockerfile");
        var lines = dockerfile.Split('\n').Select(line => line.Trim()).Where(line => line.Length > 0 && !line.StartsWith('#')).ToList();
        Assert.Contains("RUN sh deploy/publish.sh /app", lines);
        // The only build step: anything else would be a publish this test does not check.
        Assert.DoesNotContain(lines, line => line.Contains("dotnet publish", StringComparison.Ordinal) || line.Contains("dotnet build", StringComparison.Ordinal));

        var runtime = lines.Skip(lines.FindLastIndex(line => line.StartsWith("FROM ", StringComparison.Ordinal))).ToList();
        Assert.Contains("COPY --from=build --chown=root:root /app .", runtime);
        var user = Assert.Single(runtime, line => line.StartsWith("USER ", StringComparison.Ordinal));
        Assert.Equal("USER $APP_UID", user);
        Assert.Contains(runtime, line => line.Contains("ASPNETCORE_HTTP_PORTS=8080", StringComparison.Ordinal));
        Assert.Contains(runtime, line => line.Contains("http://127.0.0.1:8080/healthz/ready", StringComparison.Ordinal));
        Assert.Contains("ENTRYPOINT [\"dotnet\", \"AriaBot.dll\"]", runtime);
    }

    [Fact]
    public void Both_bot_instances_of_the_compose_file_run_read_only_with_the_same_environment()
    {
        var variables = Variables("Host=db;Port=5432;Username=u;Database=d", new Uri("https://aria.example"));
        var bot1 = ContainerPublish.ComposeEnvironment("bot1", variables);
        Assert.Equal(bot1, ContainerPublish.ComposeEnvironment("bot2", variables));
        Assert.Equal("Production", bot1["ASPNETCORE_ENVIRONMENT"]);
        Assert.Equal("Postgres", bot1["State__Provider"]);
        Assert.Equal("8080", bot1["ASPNETCORE_HTTP_PORTS"]);
        // Every key is one the app reads (a misspelt key would silently do nothing), besides the exporters' and Kestrel's own.
        var unbound = bot1.Keys
            .Where(key => !key.StartsWith("OTEL_", StringComparison.Ordinal) && key is not "ASPNETCORE_HTTP_PORTS")
            .Select(AppSettingBinding.WhyNotBound).OfType<string>().ToList();
        Assert.True(unbound.Count == 0, string.Join(Environment.NewLine, unbound));
        var compose = ContainerPublish.ReadRepositoryFile("deploy", "compose.yaml");
        Assert.Contains("  read_only: true", compose, StringComparison.Ordinal);
        // Compose refuses to start without the secrets: none has a default in the file.
        Assert.Throws<InvalidOperationException>(() => ContainerPublish.ComposeEnvironment("bot1", new Dictionary<string, string>()));
    }

    [SkippableFact]
    public async Task The_published_app_started_with_the_compose_environment_is_ready_and_writes_nothing_into_its_folder()
    {
        var postgres = Environment.GetEnvironmentVariable("ARIABOT_TEST_POSTGRES");
        Skip.If(string.IsNullOrEmpty(postgres), PostgresSkipReason);
        await publish.EnsurePublishedAsync();
        Assert.True(publish.PublishExitCode == 0, publish.PublishOutput);
        Assert.True(File.Exists(Path.Combine(publish.PublishFolder, "AriaBot.dll")), publish.PublishOutput);

        var database = "ariabot_container_" + Guid.NewGuid().ToString("N")[..8];
        await using var admin = NpgsqlDataSource.Create(postgres!);
        await using (var create = admin.CreateCommand($"CREATE DATABASE {database}"))
        {
            await create.ExecuteNonQueryAsync();
        }
        await using var aria = await StartAriaAsync();
        var before = Files(publish.PublishFolder);
        var connection = new NpgsqlConnectionStringBuilder(postgres) { Database = database };
        var environment = ContainerPublish.ComposeEnvironment("bot1", Variables(connection.ConnectionString, new Uri(aria.Urls.Single() + "/aria-sandbox")));
        // In the container Kestrel listens on 8080 (ASPNETCORE_HTTP_PORTS); here on a free loopback port.
        var port = ContainerPublish.FreePort();
        environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        var output = new StringBuilder();
        using var bot = Start(publish.PublishFolder, environment, output);
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(10) };
            var (status, body) = await WaitReadyAsync(http, bot, output);
            Assert.True(status == System.Net.HttpStatusCode.OK, $"{(int)status} {body}\n{output}");
            Assert.Equal("Healthy", body);
            // The readiness check asked the (sandbox) Aria over HTTP: the compose Aria settings were the ones used.
            Assert.NotEmpty(aria.Services.GetRequiredService<AriaSandbox>().Calls.All);
        }
        finally
        {
            bot.Kill(entireProcessTree: true);
            await bot.WaitForExitAsync();
            NpgsqlConnection.ClearAllPools();
            await using var drop = admin.CreateCommand($"DROP DATABASE IF EXISTS {database} WITH (FORCE)");
            await drop.ExecuteNonQueryAsync();
        }
        Assert.Equal(before, Files(publish.PublishFolder));
    }

    /// <summary>What an operator exports before <c>docker compose up</c>, pointed at this machine's PostgreSQL and Aria.</summary>
    private static Dictionary<string, string> Variables(string postgres, Uri aria)
    {
        var connection = new NpgsqlConnectionStringBuilder(postgres);
        return new()
        {
            ["ARIA_BASE_URL"] = aria.ToString().TrimEnd('/'),
            ["ARIA_CLIENT_NO"] = "7000100",
            ["ARIA_AUTH_KEY"] = "sandbox-demo-auth-key-7000100",
            ["POSTGRES_HOST"] = connection.Host ?? "127.0.0.1",
            ["POSTGRES_PORT"] = connection.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["POSTGRES_USER"] = connection.Username ?? "postgres",
            ["POSTGRES_PASSWORD"] = connection.Password is { Length: > 0 } password ? password : "not-checked-by-trust-auth",
            ["POSTGRES_DB"] = connection.Database ?? "postgres",
            ["DIRECTLINE_SECRET"] = "container-test-direct-line-secret",
            ["DIRECTLINE_SIGNING_KEY"] = Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray()),
            ["PUBLIC_HOST"] = "assistant.example.com",
            ["TERMS_URL"] = "https://www.example.com/terms",
            ["MICROSOFT_APP_ID"] = "00000000-0000-0000-0000-0000000000b0",
            ["MICROSOFT_APP_PASSWORD"] = "container-test-app-password",
        };
    }

    /// <summary>The Aria sandbox over real HTTP on loopback (the published app is Release: no sandbox inside).</summary>
    private static async Task<WebApplication> StartAriaAsync()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = Environments.Development });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Configuration["Aria:UseSandbox"] = "true";
        builder.Configuration["Aria:BaseUrl"] = "http://127.0.0.1/aria-sandbox";
        builder.Services.AddAriaSandbox(builder.Configuration);
        var app = builder.Build();
        app.MapAriaSandbox();
        await app.StartAsync();
        return app;
    }

    private static Process Start(string folder, Dictionary<string, string> environment, StringBuilder output)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("AriaBot.dll");
        // Only what compose sets: nothing of the test runner's own configuration leaks into the app.
        foreach (var name in start.Environment.Keys.Where(IsAppSetting).ToList())
        {
            start.Environment.Remove(name);
        }
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        process.OutputDataReceived += (_, line) => { lock (output) { output.AppendLine(line.Data); } };
        process.ErrorDataReceived += (_, line) => { lock (output) { output.AppendLine(line.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static bool IsAppSetting(string name) =>
        name.Contains("__", StringComparison.Ordinal) || name.StartsWith("ASPNETCORE_", StringComparison.Ordinal)
        || name.StartsWith("OTEL_", StringComparison.Ordinal) || name is "DOTNET_ENVIRONMENT" or "APPLICATIONINSIGHTS_CONNECTION_STRING";

    private static async Task<(System.Net.HttpStatusCode Status, string Body)> WaitReadyAsync(HttpClient http, Process bot, StringBuilder output)
    {
        using var deadline = new CancellationTokenSource(ReadyTimeout);
        var last = (Status: System.Net.HttpStatusCode.ServiceUnavailable, Body: "no answer yet");
        while (!deadline.IsCancellationRequested)
        {
            Assert.False(bot.HasExited, "The app stopped:\n" + output);
            try
            {
                using var response = await http.GetAsync("/healthz/ready", deadline.Token);
                last = (response.StatusCode, await response.Content.ReadAsStringAsync(deadline.Token));
                if (last.Status == System.Net.HttpStatusCode.OK)
                {
                    return last;
                }
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }
            await Task.Delay(TimeSpan.FromMilliseconds(250), CancellationToken.None);
        }
        return last;
    }

    private static List<string> Files(string folder) =>
        [.. Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Select(file => Path.GetRelativePath(folder, file)).Order(StringComparer.Ordinal)];
}
