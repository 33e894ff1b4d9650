using System.Text.Json;
using AriaBot.Tests.Deployment;

namespace AriaBot.Tests.Hosting;

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ReleaseBuildCollection : ICollectionFixture<ContainerPublish>
{
    // Alone: the Release build takes both cores for a minute or two, which would slow the timing-sensitive tests beside it.
    // One Release publish (ContainerPublish, the Dockerfile's) serves every test here.
    public const string Name = "Release build";
}

/// <summary>
/// The sandbox ships in Debug builds only (AriaBot.csproj, <c>ARIA_SANDBOX</c>): <c>dotnet run --project src/AriaBot</c>
/// starts with it, a Release publish — the one deploymentTemplates/README.md deploys — carries no simulator, and told to
/// use one it refuses to start.
/// </summary>
[Collection(ReleaseBuildCollection.Name)]
public sealed class ReleaseBuildTests(ContainerPublish release)
{
    private static readonly TimeSpan EvaluateTimeout = TimeSpan.FromMinutes(3);
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(2);

    [Fact]
    public void The_Debug_build_that_dotnet_run_starts_has_the_sandbox() =>
        Assert.Contains(typeof(Program).Assembly.GetReferencedAssemblies(), name => name.Name == "AriaSandbox");

    [Theory]
    [InlineData("Debug", true)]
    [InlineData("Release", false)]
    public async Task Only_a_Debug_build_includes_the_sandbox_unless_told(string configuration, bool included)
    {
        // The shared publish (deploy/publish.sh) passes -p:IncludeAriaSandbox=false; a plain `dotnet publish -c Release`
        // does not, so the project's own default per configuration is checked here, by evaluating it (no build).
        var evaluated = await RunAsync(RepositoryRoot(), EvaluateTimeout, new Dictionary<string, string>(),
            "msbuild", Path.Combine("src", "AriaBot", "AriaBot.csproj"), $"-p:Configuration={configuration}",
            "-getProperty:IncludeAriaSandbox", "-getProperty:DefineConstants", "-getItem:ProjectReference", "-nologo");
        Assert.True(evaluated.ExitCode == 0, evaluated.Output);
        using var json = JsonDocument.Parse(evaluated.Output);
        var properties = json.RootElement.GetProperty("Properties");
        var references = json.RootElement.GetProperty("Items").GetProperty("ProjectReference").EnumerateArray()
            .Select(reference => reference.GetProperty("Identity").GetString() ?? "");
        Assert.Equal(included, properties.GetProperty("IncludeAriaSandbox").GetString() == "true");
        Assert.Equal(included, (properties.GetProperty("DefineConstants").GetString() ?? "").Split(';').Contains("ARIA_SANDBOX"));
        Assert.Equal(included, references.Any(reference => reference.Contains("AriaSandbox", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_Release_publish_has_no_sandbox_and_refuses_to_start_with_UseSandbox()
    {
        await release.EnsurePublishedAsync();
        var publish = release.PublishFolder;
        Assert.True(release.PublishExitCode == 0, release.PublishOutput);

        Assert.True(File.Exists(Path.Combine(publish, "AriaBot.dll")), release.PublishOutput);
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
