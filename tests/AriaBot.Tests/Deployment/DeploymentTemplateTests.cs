using System.Net;
using System.Reflection;
using System.Runtime.Versioning;
using System.Text;
using System.Text.Json.Nodes;
using Aria.Sandbox;
using Aria.Sandbox.Hosting;
using BotRuntime.Authentication;
using BotRuntime.Hosting;
using BotRuntime.State;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;
using static AriaBot.Tests.Deployment.DeploymentSnapshot;

namespace AriaBot.Tests.Deployment;

/// <summary>
/// deploymentTemplates/ compiled by the real Bicep CLI, and what it would deploy checked against the app itself:
/// the Web App's settings start the real host in Production, name only keys the app binds, and carry secrets only
/// as Key Vault references; the Azure Bot's identity and endpoint match the app's.
/// </summary>
public sealed class DeploymentTemplateTests(DeploymentFixture fixture) : IClassFixture<DeploymentFixture>
{
    private const string KeyVaultSecretsUserRole = "4633458b-17de-408a-b874-0445c86b69e6";
    private const string KeyVaultCryptoUserRole = "12338af0-0e69-4776-bea7-57ae8d297424";

    private DeploymentSnapshot Snapshot(string parameters)
    {
        Skip.If(fixture.Unavailable is not null, fixture.Unavailable);
        return fixture.Snapshot(parameters);
    }

    [SkippableFact]
    public void The_template_and_its_parameter_files_compile_without_errors_or_warnings()
    {
        Skip.If(fixture.Unavailable is not null, fixture.Unavailable);
        // build of main.bicep, then build-params and snapshot of the example and of the everything-on file.
        Assert.Equal(5, fixture.Runs.Count);
        foreach (var run in fixture.Runs)
        {
            run.AssertClean();
        }
    }

    [SkippableFact]
    public void Every_parameter_is_described_and_every_secret_is_a_secure_parameter_without_a_default()
    {
        var template = Snapshot("example").Template;
        foreach (var (name, parameter) in template["parameters"]!.AsObject())
        {
            var description = parameter!["metadata"]?["description"]?.GetValue<string>();
            Assert.False(string.IsNullOrWhiteSpace(description), $"Parameter '{name}' has no @description.");
            var secure = parameter["type"]!.GetValue<string>() is "securestring" or "secureObject";
            if (name.EndsWith("Key", StringComparison.Ordinal) || name.EndsWith("Secret", StringComparison.Ordinal)
                || name.EndsWith("Token", StringComparison.Ordinal) || name.EndsWith("Password", StringComparison.Ordinal))
            {
                Assert.True(secure, $"Parameter '{name}' holds a secret but is not @secure().");
            }
            if (secure)
            {
                var defaultValue = parameter["defaultValue"];
                Assert.True(defaultValue is null || defaultValue.GetValue<string>().Length == 0, $"Secure parameter '{name}' has a default value.");
            }
        }
    }

    [SkippableTheory]
    [InlineData("example")]
    [InlineData("everything")]
    public async Task The_app_starts_in_Production_with_exactly_the_settings_the_template_deploys(string parameters)
    {
        var snapshot = Snapshot(parameters);
        var settings = snapshot.AppSettingsSeenByTheApp.ToDictionary(StringComparer.OrdinalIgnoreCase);

        await using var factory = HostWith(settings);
        // Starting the host runs every options validation (ValidateOnStart): a required key missing from the
        // template, or a value the app refuses, fails here with the app's own message.
        using var client = factory.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/healthz", UriKind.Relative))).StatusCode);

        var services = factory.Services;
        Assert.Equal(Environments.Production, services.GetRequiredService<IHostEnvironment>().EnvironmentName);
        var state = services.GetRequiredService<IOptions<StateOptions>>().Value;
        Assert.Equal("Postgres", state.Provider);
        Assert.Equal(settings["State__PostgresConnectionString"], state.PostgresConnectionString);
        Assert.False(services.GetRequiredService<IOptions<AriaSandboxOptions>>().Value.UseSandbox);
        var credentials = services.GetRequiredService<IOptions<BotCredentialsOptions>>().Value;
        Assert.Equal(BotAppType.UserAssignedMSI, credentials.AppType());
        Assert.Equal(IdentityClientId, credentials.MicrosoftAppId);

        // What App Service probes and what Azure Bot Service posts to are routes of this app.
        var routes = services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Select(e => (Path: "/" + e.RoutePattern.RawText?.TrimStart('/'), Methods: e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? []))
            .ToList();
        var healthCheckPath = Property(snapshot.Site, "properties.siteConfig.healthCheckPath");
        Assert.Contains(routes, r => r.Path == healthCheckPath);
        var botEndpointPath = new Uri(snapshot.EvaluateText(Property(snapshot.Bot, "properties.endpoint"))).AbsolutePath;
        Assert.Contains(routes, r => r.Path == botEndpointPath && r.Methods.Contains("POST"));

        // With the bot's identity configured, a post without a channel token is refused: the endpoint is live and guarded.
        using var activity = new StringContent("""{"type":"message","id":"m1","channelId":"test","conversation":{"id":"c1"},"from":{"id":"u1"},"recipient":{"id":"bot"},"text":"hi"}""", Encoding.UTF8, "application/json");
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostAsync(new Uri(botEndpointPath, UriKind.Relative), activity)).StatusCode);
    }

    [SkippableTheory]
    [InlineData("example")]
    [InlineData("everything")]
    public void Every_app_setting_is_a_key_the_app_reads(string parameters)
    {
        var unbound = Snapshot(parameters).AppSettings.Keys.Select(AppSettingBinding.WhyNotBound).OfType<string>().ToList();
        Assert.True(unbound.Count == 0, string.Join(Environment.NewLine, unbound));
    }

    [SkippableTheory]
    [InlineData("example")]
    [InlineData("everything")]
    public void The_web_app_runs_this_app_on_Linux_over_https_only_with_WebSockets_and_always_on(string parameters)
    {
        var snapshot = Snapshot(parameters);
        var site = snapshot.Site;
        var plan = snapshot.Single("Microsoft.Web/serverfarms");
        Assert.Equal(Id(plan), Property(site, "properties.serverFarmId"));
        Assert.Equal("true", Property(plan, "properties.reserved"));

        var app = typeof(Program).Assembly;
        var framework = new FrameworkName(app.GetCustomAttribute<TargetFrameworkAttribute>()!.FrameworkName);
        Assert.Equal($"DOTNETCORE|{framework.Version.Major}.{framework.Version.Minor}", Property(site, "properties.siteConfig.linuxFxVersion"));
        Assert.Equal($"dotnet {app.GetName().Name}.dll", Property(site, "properties.siteConfig.appCommandLine"));

        Assert.Equal("true", Property(site, "properties.httpsOnly"));
        Assert.True(Version.Parse(Property(site, "properties.siteConfig.minTlsVersion")) >= new Version(1, 2));
        Assert.True(Version.Parse(Property(site, "properties.siteConfig.scmMinTlsVersion")) >= new Version(1, 2));
        Assert.Equal("Disabled", Property(site, "properties.siteConfig.ftpsState"));
        Assert.Equal("true", Property(site, "properties.siteConfig.webSocketsEnabled"));
        Assert.Equal("true", Property(site, "properties.siteConfig.alwaysOn"));
        Assert.Equal("/healthz/ready", Property(site, "properties.siteConfig.healthCheckPath"));
        // App Service's HTTP log would keep query strings (sign-in states, stream tokens).
        Assert.Equal("false", Property(site, "properties.siteConfig.httpLoggingEnabled"));
        Assert.DoesNotContain(snapshot.OfType("Microsoft.Insights/diagnosticSettings"), d => Property(d, "properties").Contains("AppServiceHTTPLogs", StringComparison.Ordinal));

        Assert.Equal("Production", snapshot.AppSettings["ASPNETCORE_ENVIRONMENT"]);
        Assert.Equal("true", snapshot.AppSettings["ASPNETCORE_FORWARDEDHEADERS_ENABLED"]);
        // Forwarded headers on with nobody named to trust stops the app: App Service's front end is trusted explicitly.
        Assert.Equal("true", snapshot.AppSettings["Web__ForwardedHeaders__TrustAllProxies"]);
    }

    [SkippableTheory]
    [InlineData("example")]
    [InlineData("everything")]
    public void The_Azure_Bot_is_the_web_apps_managed_identity_and_posts_to_its_api_messages(string parameters)
    {
        var snapshot = Snapshot(parameters);
        var bot = snapshot.Bot;
        var settings = snapshot.AppSettings;
        var identity = Id(snapshot.Identity);

        Assert.Equal("azurebot", Property(bot, "kind"));
        Assert.Equal(settings["MicrosoftAppType"], Property(bot, "properties.msaAppType"));
        Assert.Equal(BotAppType.UserAssignedMSI, new BotCredentialsOptions { MicrosoftAppType = settings["MicrosoftAppType"] }.AppType());
        Assert.Equal(settings["MicrosoftAppId"], snapshot.EvaluateText(Property(bot, "properties.msaAppId")));
        Assert.Equal(IdentityClientId, settings["MicrosoftAppId"]);
        Assert.Equal(settings["MicrosoftAppTenantId"], snapshot.EvaluateText(Property(bot, "properties.msaAppTenantId")));
        Assert.Equal(identity, Property(bot, "properties.msaAppMSIResourceId"));
        Assert.DoesNotContain("MicrosoftAppPassword", settings.Keys);

        // The app runs as that identity, and resolves its Key Vault references with it.
        Assert.Equal("UserAssigned", Property(snapshot.Site, "identity.type"));
        Assert.Contains(identity, snapshot.Site["identity"]!["userAssignedIdentities"]!.AsObject().Select(p => p.Key));
        Assert.Equal(identity, Property(snapshot.Site, "properties.keyVaultReferenceIdentity"));

        var endpoint = new Uri(snapshot.EvaluateText(Property(bot, "properties.endpoint")));
        Assert.Equal(Uri.UriSchemeHttps, endpoint.Scheme);
        Assert.EndsWith("/api/messages", endpoint.AbsoluteUri, StringComparison.Ordinal);
        // Channels, sign-in links and Direct Line streams all name the same public host.
        Assert.Equal(settings["SignIn__PublicBaseUrl"] + "/api/messages", endpoint.AbsoluteUri);
        Assert.Equal(settings["SignIn__PublicBaseUrl"], settings["DirectLine__PublicBaseUrl"]);
    }

    [SkippableTheory]
    [InlineData("example")]
    [InlineData("everything")]
    public void Secrets_reach_the_app_only_as_Key_Vault_references_it_may_read(string parameters)
    {
        var snapshot = Snapshot(parameters);
        var expressions = snapshot.AppSettingExpressions;
        var settings = snapshot.AppSettings;
        var seen = snapshot.AppSettingsSeenByTheApp;

        foreach (var key in new[] { "Aria__AuthKey", "DirectLine__Secrets__0", "DirectLine__SigningKey", "State__PostgresConnectionString" })
        {
            Assert.True(snapshot.KeyVaultSecret(settings[key]) is not null, $"{key} is not a Key Vault reference: {expressions[key]}");
        }
        foreach (var (name, value) in settings)
        {
            // A secure parameter written into a setting would be readable by anyone who can read the Web App.
            foreach (var secure in snapshot.SecureParameters)
            {
                Assert.DoesNotContain($"parameters('{secure}')", expressions[name], StringComparison.OrdinalIgnoreCase);
            }
            foreach (var (secure, secret) in snapshot.SecureParameterValues)
            {
                Assert.False(seen[name].Contains(secret, StringComparison.Ordinal) && snapshot.KeyVaultSecret(value) is null,
                    $"{name} carries the value of secure parameter '{secure}' in plain text.");
            }
        }

        // Every secret the template writes is in the vault the app's identity may read (secrets only), by role.
        var vault = snapshot.Vault;
        Assert.Equal("true", Property(vault, "properties.enableRbacAuthorization"));
        Assert.All(snapshot.OfType("Microsoft.KeyVault/vaults/secrets"), secret => Assert.StartsWith(Id(vault) + "/secrets/", Id(secret), StringComparison.OrdinalIgnoreCase));
        var grants = snapshot.OfType("Microsoft.Authorization/roleAssignments")
            .Where(a => Id(a).StartsWith(Id(vault) + "/providers/", StringComparison.OrdinalIgnoreCase))
            .Where(a => snapshot.EvaluateText(Property(a, "properties.principalId")) == IdentityPrincipalId)
            .Select(a => Property(a, "properties.roleDefinitionId"))
            .ToList();
        Assert.Contains(grants, role => role.EndsWith("/" + KeyVaultSecretsUserRole, StringComparison.OrdinalIgnoreCase));
    }

    [SkippableTheory]
    [InlineData("example")]
    [InlineData("everything")]
    public void The_Data_Protection_key_ring_is_wrapped_by_a_vault_key_only_the_apps_identity_may_use(string parameters)
    {
        var snapshot = Snapshot(parameters);
        var key = snapshot.Single("Microsoft.KeyVault/vaults/keys");
        Assert.StartsWith(Id(snapshot.Vault) + "/keys/", Id(key), StringComparison.OrdinalIgnoreCase);
        Assert.Equal("RSA", Property(key, "properties.kty"));
        Assert.Equal(["wrapKey", "unwrapKey"], key["properties"]!["keyOps"]!.AsArray().Select(op => op!.GetValue<string>()));

        // The app is told the key (versionless) and the identity to ask tokens for.
        var settings = snapshot.AppSettings;
        var keyId = new Uri(settings["DataProtection__KeyVaultKeyId"]);
        Assert.Equal($"/keys/{Property(key, "name").Split('/')[^1]}", keyId.AbsolutePath);
        Assert.Equal(IdentityClientId, settings["DataProtection__ManagedIdentityClientId"]);

        // Key Vault Crypto User for that identity, on that key only.
        var grant = Assert.Single(snapshot.OfType("Microsoft.Authorization/roleAssignments"),
            a => Property(a, "properties.roleDefinitionId").EndsWith("/" + KeyVaultCryptoUserRole, StringComparison.OrdinalIgnoreCase));
        Assert.StartsWith(Id(key) + "/providers/", Id(grant), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(IdentityPrincipalId, snapshot.EvaluateText(Property(grant, "properties.principalId")));
    }

    [SkippableTheory]
    [InlineData("example")]
    [InlineData("everything")]
    public void State_is_kept_in_the_private_PostgreSQL_server_over_verified_TLS(string parameters)
    {
        var snapshot = Snapshot(parameters);
        var settings = snapshot.AppSettingsSeenByTheApp;
        var postgres = snapshot.Postgres;
        Assert.Equal("Postgres", settings["State__Provider"]);

        var connection = new NpgsqlConnectionStringBuilder(settings["State__PostgresConnectionString"]);
        Assert.StartsWith(Property(postgres, "name") + ".", connection.Host, StringComparison.Ordinal);
        var database = snapshot.Single("Microsoft.DBforPostgreSQL/flexibleServers/databases");
        Assert.Equal(Property(database, "name").Split('/')[^1], connection.Database);
        Assert.Equal(Property(postgres, "properties.administratorLogin"), connection.Username);
        // The password survives the connection string whatever it contains (the fixture's has quotes and ';').
        Assert.Equal(snapshot.SecureParameterValues["postgresAdminPassword"], connection.Password);
        Assert.Equal(SslMode.VerifyFull, connection.SslMode);

        // Reachable only from the Web App's network.
        Assert.Equal("Disabled", Property(postgres, "properties.network.publicNetworkAccess"));
        var vnet = Id(snapshot.Single("Microsoft.Network/virtualNetworks"));
        Assert.StartsWith(vnet + "/subnets/", Property(postgres, "properties.network.delegatedSubnetResourceId"), StringComparison.OrdinalIgnoreCase);
        Assert.StartsWith(vnet + "/subnets/", Property(snapshot.Site, "properties.virtualNetworkSubnetId"), StringComparison.OrdinalIgnoreCase);
    }

    [SkippableTheory]
    [InlineData("example")]
    [InlineData("everything")]
    public void Aria_settings_name_a_real_Aria_and_never_the_sandbox(string parameters)
    {
        var settings = Snapshot(parameters).AppSettings;
        Assert.Equal("false", settings["Aria__UseSandbox"]);
        var options = new AriaSandboxOptions { UseSandbox = bool.Parse(settings["Aria__UseSandbox"]), BaseUrl = new Uri(settings["Aria__BaseUrl"]) };
        Assert.Empty(AriaSandboxGuard.Check(options, settings["ASPNETCORE_ENVIRONMENT"]));
        Assert.Equal(Uri.UriSchemeHttps, options.BaseUrl.Scheme);
        Assert.False(options.BaseUrl.IsLoopback);
        Assert.True(long.Parse(settings["Aria__ClientNo"], System.Globalization.CultureInfo.InvariantCulture) > 0);
    }

    [SkippableFact]
    public void Channels_follow_their_parameters_and_Slack_secrets_come_only_from_secure_parameters()
    {
        static JsonObject? Channel(DeploymentSnapshot snapshot, string name) =>
            snapshot.OfType("Microsoft.BotService/botServices/channels").SingleOrDefault(c => Property(c, "name").EndsWith("/" + name, StringComparison.Ordinal));

        var example = Snapshot("example");
        Assert.NotNull(Channel(example, "MsTeamsChannel"));
        Assert.Null(Channel(example, "SlackChannel"));
        Assert.Null(Channel(example, "DirectLineChannel"));

        var everything = Snapshot("everything");
        Assert.NotNull(Channel(everything, "MsTeamsChannel"));
        var slack = Channel(everything, "SlackChannel")!;
        foreach (var (property, parameter) in new[] { ("clientSecret", "slackClientSecret"), ("verificationToken", "slackVerificationToken"), ("signingSecret", "slackSigningSecret") })
        {
            var value = Property(slack, "properties.properties." + property);
            Assert.Contains(parameter, everything.SecureParameters);
            Assert.Contains($"parameters('{parameter}')", value, StringComparison.Ordinal);
            Assert.Equal(everything.SecureParameterValues[parameter], everything.EvaluateText(value));
        }

        // Azure's Direct Line: v3 only, enhanced authentication, the portal origins trusted (the same ones that may frame the page).
        var site = Channel(everything, "DirectLineChannel")!["properties"]!["properties"]!["sites"]!.AsArray().Single()!;
        Assert.True(site["isSecureSiteEnabled"]!.GetValue<bool>());
        Assert.False(site["isV1Enabled"]!.GetValue<bool>());
        var frameAncestors = everything.AppSettings.Where(s => s.Key.StartsWith("Web__FrameAncestors__", StringComparison.Ordinal)).Select(s => s.Value).Order();
        Assert.Equal(frameAncestors, site["trustedOrigins"]!.AsArray().Select(o => o!.GetValue<string>()).Order());
        Assert.True(everything.KeyVaultSecret(everything.AppSettings["DirectLine__SessionBindingSecret"]) is not null);
    }

    /// <summary>
    /// The real host, configured as App Service configures it: every setting becomes an environment variable, which
    /// ASP.NET Core reads with <c>__</c> as <c>:</c>, and <c>ASPNETCORE_</c>-prefixed ones also without the prefix.
    /// </summary>
    private static WebApplicationFactory<Program> HostWith(Dictionary<string, string> settings)
    {
        Assert.True(settings.TryGetValue("ASPNETCORE_ENVIRONMENT", out var environment), "The template sets no ASPNETCORE_ENVIRONMENT.");
        return new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            builder.UseEnvironment(environment);
            // The template's PostgreSQL is private to its network, and the app stops when its store is unreachable
            // at start; the state options are still bound and validated from the settings, only the store is swapped.
            builder.ConfigureTestServices(services => services.AddSingleton<IStorage>(new MemoryStorage(TimeProvider.System)));
            foreach (var (name, value) in settings)
            {
                builder.UseSetting(name.Replace("__", ":", StringComparison.Ordinal), value);
                if (name.StartsWith("ASPNETCORE_", StringComparison.OrdinalIgnoreCase))
                {
                    builder.UseSetting(name["ASPNETCORE_".Length..], value);
                }
            }
        });
    }
}
