using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace AriaBot.Tests.Deployment;

/// <summary>
/// What the container image is made of, without a container engine: the Dockerfile's publish step (the shared
/// <c>deploy/publish.sh</c>) run once into a temp folder, and the environment <c>deploy/compose.yaml</c> gives the bots.
/// </summary>
/// <remarks>
/// The one Release publish of the test run, shared by the <see cref="Hosting.ReleaseBuildCollection"/> (a publish
/// takes both cores for most of a minute): made by the first test that asks for it
/// (<see cref="EnsurePublishedAsync"/>), so a run whose tests skip or are filtered out makes none.
/// </remarks>
public sealed partial class ContainerPublish : IAsyncLifetime
{
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromMinutes(10);

    private readonly string _temp = Directory.CreateTempSubdirectory("ariabot-container-").FullName;
    private readonly Lazy<Task> _published;

    public ContainerPublish() => _published = new Lazy<Task>(PublishAsync);

    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary>The publish output (what the runtime stage copies to /app).</summary>
    public string PublishFolder => Path.Combine(_temp, "publish");

    /// <summary>What the publish printed, for failure messages.</summary>
    public string PublishOutput { get; private set; } = "";

    public int PublishExitCode { get; private set; } = -1;

    public Task InitializeAsync() => Task.CompletedTask;

    /// <summary>Runs the publish the first time it is called; later calls get the same folder.</summary>
    public Task EnsurePublishedAsync() => _published.Value;

    private async Task PublishAsync()
    {
        // Its own artifacts folder, as in ReleaseBuildTests: the repository's Debug obj/ and bin/ stay untouched.
        var run = await ChildProcess.RunAsync("sh", RepositoryRoot, PublishTimeout, new Dictionary<string, string>(),
            [Path.Combine("deploy", "publish.sh"), PublishFolder, "--artifacts-path", Path.Combine(_temp, "artifacts"), "--disable-build-servers", "-v", "q"]);
        PublishExitCode = run.ExitCode;
        PublishOutput = run.StandardOutput + run.StandardError;
    }

    public Task DisposeAsync()
    {
        Directory.Delete(_temp, recursive: true);
        return Task.CompletedTask;
    }

    public static string ReadRepositoryFile(params string[] path) => File.ReadAllText(Path.Combine([RepositoryRoot, .. path]));

    /// <summary>
    /// One service's <c>environment</c> in compose.yaml, with <c>${NAME}</c>, <c>${NAME:-default}</c> and
    /// <c>${NAME:?message}</c> filled in from <paramref name="variables"/> as <c>docker compose</c> would (a missing
    /// required variable fails, as compose refuses to start).
    /// </summary>
    public static Dictionary<string, string> ComposeEnvironment(string service, IReadOnlyDictionary<string, string> variables)
    {
        var yaml = new YamlStream();
        using (var reader = new StringReader(ReadRepositoryFile("deploy", "compose.yaml")))
        {
            yaml.Load(reader);
        }
        var root = (YamlMappingNode)yaml.Documents[0].RootNode;
        var services = (YamlMappingNode)root.Children[new YamlScalarNode("services")];
        var environment = (YamlMappingNode)((YamlMappingNode)services.Children[new YamlScalarNode(service)]).Children[new YamlScalarNode("environment")];
        return environment.Children.ToDictionary(
            pair => ((YamlScalarNode)pair.Key).Value!,
            pair => Interpolate(((YamlScalarNode)pair.Value).Value ?? "", variables));
    }

    internal static string Interpolate(string value, IReadOnlyDictionary<string, string> variables) =>
        Variable().Replace(value, match =>
        {
            var name = match.Groups["name"].Value;
            var found = variables.TryGetValue(name, out var given) && given.Length > 0;
            return match.Groups["op"].Value switch
            {
                ":-" => found ? given! : match.Groups["arg"].Value,
                ":?" => found ? given! : throw new InvalidOperationException($"compose would refuse to start: {name}: {match.Groups["arg"].Value}"),
                _ => found ? given! : "",
            };
        }).Replace("$$", "$", StringComparison.Ordinal);

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string FindRepositoryRoot()
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

    [GeneratedRegex(@"\$\{(?<name>[A-Za-z_][A-Za-z0-9_]*)(?:(?<op>:-|:\?)(?<arg>[^}]*))?\}")]
    private static partial Regex Variable();
}
