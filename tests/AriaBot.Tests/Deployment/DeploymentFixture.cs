namespace AriaBot.Tests.Deployment;

/// <summary>
/// Compiles deploymentTemplates/ once for the tests: <c>bicep build</c> of the template, and <c>bicep build-params</c>
/// and <c>bicep snapshot</c> of two parameter files: the shipped example, and one that switches every option on.
/// The CLI writes next to its inputs, so it works on a copy in a temp folder.
/// </summary>
public sealed class DeploymentFixture : IAsyncLifetime
{
    /// <summary>The example's secrets, as the operator would export them (README "Deploying to Azure").</summary>
    private static readonly Dictionary<string, string> Environment = new()
    {
        ["ARIA_AUTH_KEY"] = "template-test-aria-auth-key",
        ["DIRECTLINE_SECRET"] = "template-test-direct-line-secret-0123",
        ["DIRECTLINE_SIGNING_KEY"] = Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray()),
        // Quotes, a semicolon and an equals sign: the connection string must carry any password Azure accepts.
        ["POSTGRES_ADMIN_PASSWORD"] = "Pa\"ss;wo'rd=1",
        ["SESSION_BINDING_SECRET"] = "template-test-session-binding-secret",
        ["SLACK_CLIENT_SECRET"] = "template-test-slack-client-secret",
        ["SLACK_VERIFICATION_TOKEN"] = "template-test-slack-verification-token",
        ["SLACK_SIGNING_SECRET"] = "template-test-slack-signing-secret",
    };

    /// <summary>Every optional part on (channels, custom host, support contact, HA), the NAT gateway and Log Analytics off.</summary>
    private const string EverythingParameters = """
        using 'main.bicep'

        param appName = 'ariabot-everything'
        param publicHostName = 'assistant.nimbus.example'
        param ariaBaseUrl = 'https://secure.future.stage.ariasystems.net'
        param ariaClientNo = 1234
        param ariaAuthKey = readEnvironmentVariable('ARIA_AUTH_KEY')
        param termsUrl = 'https://www.nimbus.example/terms'
        param portalOrigins = [
          'https://portal.nimbus.example'
          'https://www.nimbus.example'
        ]
        param supportPhone = '+1 555 0100'
        param supportEmail = 'support@nimbus.example'
        param supportHours = 'Mon-Fri 8:00-20:00'
        param supportUrl = 'https://www.nimbus.example/help'
        param directLineSecret = readEnvironmentVariable('DIRECTLINE_SECRET')
        param directLineSigningKey = readEnvironmentVariable('DIRECTLINE_SIGNING_KEY')
        param sessionBindingSecret = readEnvironmentVariable('SESSION_BINDING_SECRET')
        param enableAzureDirectLine = true
        param enableTeams = true
        param enableSlack = true
        param slackClientId = '1234567890.0987654321'
        param slackClientSecret = readEnvironmentVariable('SLACK_CLIENT_SECRET')
        param slackVerificationToken = readEnvironmentVariable('SLACK_VERIFICATION_TOKEN')
        param slackSigningSecret = readEnvironmentVariable('SLACK_SIGNING_SECRET')
        param botSku = 'S1'
        param appServicePlanInstances = 3
        param postgresAdminPassword = readEnvironmentVariable('POSTGRES_ADMIN_PASSWORD')
        param postgresSkuName = 'Standard_D2ds_v5'
        param postgresSkuTier = 'GeneralPurpose'
        param postgresHighAvailability = true
        param staticOutboundIp = false
        param enableLogAnalytics = false
        param keyVaultPurgeProtection = false
        """;

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "ariabot-templates-" + Guid.NewGuid().ToString("N"));
    private readonly Dictionary<string, DeploymentSnapshot> _snapshots = [];

    /// <summary>Why the templates could not be compiled here (no CLI for this machine), or null.</summary>
    public string? Unavailable { get; private set; }

    /// <summary>Every CLI run, each to be clean.</summary>
    internal IReadOnlyList<BicepRun> Runs { get; private set; } = [];

    /// <summary>
    /// The snapshot of one parameter file. Warnings fail only the compile test, so each other test still says what
    /// it found; a run that failed outright fails every test that needs its snapshot.
    /// </summary>
    internal DeploymentSnapshot Snapshot(string name)
    {
        if (_snapshots.TryGetValue(name, out var snapshot))
        {
            return snapshot;
        }
        foreach (var run in Runs.Where(run => run.ExitCode != 0))
        {
            run.AssertClean();
        }
        throw new InvalidOperationException($"No snapshot of the '{name}' parameters was made.");
    }

    public async Task InitializeAsync()
    {
        var (cli, unavailable) = BicepCli.Locate();
        if (cli is null)
        {
            Unavailable = unavailable;
            return;
        }
        var source = Path.Combine(AppContext.BaseDirectory, "deploymentTemplates");
        Directory.CreateDirectory(_folder);
        foreach (var file in Directory.GetFiles(source))
        {
            File.Copy(file, Path.Combine(_folder, Path.GetFileName(file)));
        }
        await File.WriteAllTextAsync(Path.Combine(_folder, "everything.bicepparam"), EverythingParameters);

        // Stand-in subscription, tenant and group: the snapshot needs them to compute resource ids.
        string[] scope =
        [
            "--subscription-id", "00000000-0000-0000-0000-00000000a51a", "--tenant-id", DeploymentSnapshot.IdentityTenantId,
            "--resource-group", "rg-ariabot", "--location", "westeurope", "--mode", "overwrite",
        ];
        // One bicep process at a time: other test classes run meanwhile, some of them timing-sensitive, on few cores.
        var runs = new List<BicepRun> { await cli.RunAsync(_folder, Environment, "build", "main.bicep", "--stdout") };
        foreach (var (name, file) in new[] { ("example", "main.example"), ("everything", "everything") })
        {
            var buildParams = await cli.RunAsync(_folder, Environment, "build-params", file + ".bicepparam", "--stdout");
            var snapshot = await cli.RunAsync(_folder, Environment, ["snapshot", file + ".bicepparam", .. scope]);
            runs.Add(buildParams);
            runs.Add(snapshot);
            var snapshotFile = Path.Combine(_folder, file + ".snapshot.json");
            if (buildParams.ExitCode == 0 && File.Exists(snapshotFile))
            {
                _snapshots[name] = DeploymentSnapshot.Load(name, buildParams, snapshotFile);
            }
        }
        Runs = runs;
    }

    public Task DisposeAsync()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
        return Task.CompletedTask;
    }
}
