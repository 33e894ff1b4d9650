namespace AriaBot.Tests.Hosting;

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ReleaseBuildCollection
{
    // Alone: the Release build takes both cores for a minute or two, which would slow the timing-sensitive tests beside it.
    public const string Name = "Release build";
}

/// <summary>
/// The sandbox ships in Debug builds only (AriaBot.csproj, <c>ARIA_SANDBOX</c>): <c>dotnet run --project src/AriaBot</c>
/// starts with it, a Release publish — the one deploymentTemplates/README.md deploys — carries no simulator, and told to
/// use one it refuses to start.
/// </summary>
[Collection(ReleaseBuildCollection.Name)]
public sealed class ReleaseBuildTests
{
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(2);

    [Fact]
    public void The_Debug_build_that_dotnet_run_starts_has_the_sandbox() =>
        Assert.Contains(typeof(Program).Assembly.GetReferencedAssemblies(), name => name.Name == "AriaSandbox");

    [Fact]
    public async Task A_Release_publish_has_no_sandbox_and_refuses_to_start_with_UseSandbox()
    {
        var temp = Directory.CreateTempSubdirectory("ariabot-release-").FullName;
        try
        {
            // Its own artifacts folder: the repository's obj/ and bin/ (and the restore they share between
            // configurations) stay as the Debug build left them; no build server outlives the test.
            var publish = Path.Combine(temp, "publish");
            var build = await RunAsync(RepositoryRoot(), PublishTimeout, new Dictionary<string, string>(),
                "publish", Path.Combine("src", "AriaBot", "AriaBot.csproj"), "-c", "Release", "-o", publish,
                "--artifacts-path", Path.Combine(temp, "artifacts"), "--disable-build-servers", "-nologo", "-v", "q");
            Assert.True(build.ExitCode == 0, build.Output);

            Assert.True(File.Exists(Path.Combine(publish, "AriaBot.dll")), build.Output);
            Assert.False(File.Exists(Path.Combine(publish, "AriaSandbox.dll")), "The Release publish carries the sandbox.");
            Assert.DoesNotContain("AriaSandbox", await File.ReadAllTextAsync(Path.Combine(publish, "AriaBot.deps.json")), StringComparison.Ordinal);

            // Development with appsettings.Development.json, exactly what makes a Debug build serve the sandbox; started
            // from the publish folder as App Service starts it (the content root holds the appsettings files).
            var start = await RunAsync(publish, StartTimeout, new Dictionary<string, string>
            {
                ["ASPNETCORE_ENVIRONMENT"] = "Development",
                ["ASPNETCORE_URLS"] = "http://127.0.0.1:0",
                ["Aria__UseSandbox"] = "true",
                ["State__Provider"] = "Memory",
            }, Path.Combine(publish, "AriaBot.dll"));
            Assert.True(start.ExitCode != 0, "The Release build started with Aria:UseSandbox=true: " + start.Output);
            Assert.Contains("Aria:UseSandbox=true is refused: this build of AriaBot has no Aria sandbox", start.Output, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(temp, recursive: true);
        }
    }

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "AriaBot.sln")))
            {
                return folder.FullName;
            }
        }
        throw new InvalidOperationException($"No AriaBot.sln above {AppContext.BaseDirectory}.");
    }

    /// <summary>Runs the dotnet host (the one running these tests) and returns its exit code with stdout and stderr.</summary>
    private static async Task<(int ExitCode, string Output)> RunAsync(string workingDirectory, TimeSpan timeout, Dictionary<string, string> environment, params string[] arguments)
    {
        var run = await ChildProcess.RunAsync(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet", workingDirectory, timeout, environment, arguments);
        return (run.ExitCode, run.StandardOutput + run.StandardError);
    }
}
