using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;

namespace AriaBot.Tests.Deployment;

/// <summary>
/// The Bicep CLI of the NuGet package <c>Azure.Bicep.CommandLine.linux-x64</c>, which this test project downloads
/// (<c>PackageDownload</c>) and whose folder the build writes into the assembly's metadata.
/// </summary>
internal sealed partial class BicepCli
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    private BicepCli(string path) => FilePath = path;

    public string FilePath { get; }

    /// <summary>The CLI, or the reason it cannot run on this machine (which the tests then give as their skip reason).</summary>
    public static (BicepCli? Cli, string? Unavailable) Locate()
    {
        if (!OperatingSystem.IsLinux() || RuntimeInformation.OSArchitecture != Architecture.X64)
        {
            return (null, $"The deployment template tests use the Bicep CLI for linux-x64 (the package served here); this machine is {RuntimeInformation.RuntimeIdentifier}.");
        }
        var folder = typeof(BicepCli).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(attribute => attribute.Key == "BicepPackageFolder")?.Value;
        var path = string.IsNullOrEmpty(folder) ? null : Path.Combine(folder, "tools", "bicep");
        if (path is null || !File.Exists(path))
        {
            return (null, $"The Bicep CLI is missing ({path ?? "no package folder recorded at build time"}): restoring tests/AriaBot.Tests downloads the NuGet package " +
                "Azure.Bicep.CommandLine.linux-x64 (PackageDownload, version BicepCliVersion in Directory.Packages.props); the feed did not serve it.");
        }
        // The package may arrive without its run bit.
        var mode = File.GetUnixFileMode(path);
        if ((mode & UnixFileMode.UserExecute) == 0)
        {
            File.SetUnixFileMode(path, mode | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        }
        return (new BicepCli(path), null);
    }

    public async Task<BicepRun> RunAsync(string workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var (exitCode, output, error) = await ChildProcess.RunAsync(FilePath, workingDirectory, Timeout, environment, arguments);
        return new BicepRun($"bicep {string.Join(' ', arguments)}", exitCode, output, error);
    }
}

/// <summary>One run of the CLI: its exit code, what it printed, and the diagnostics among that.</summary>
internal sealed partial record BicepRun(string Command, int ExitCode, string StandardOutput, string StandardError)
{
    /// <summary>Diagnostics as the CLI prints them: <c>file(line,col) : Warning code: message</c>.</summary>
    public IReadOnlyList<string> Diagnostics =>
        StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(line => DiagnosticLine().IsMatch(line))
            .ToList();

    /// <summary>
    /// Fails on a non-zero exit or on any diagnostic at all: warnings are errors in this repository, and an
    /// unused parameter or a property Azure does not know is a warning to Bicep.
    /// </summary>
    public void AssertClean()
    {
        if (ExitCode == 0 && Diagnostics.Count == 0)
        {
            return;
        }
        var message = new StringBuilder()
            .Append(Command).Append(" exited with ").Append(ExitCode)
            .Append(" and ").Append(Diagnostics.Count).AppendLine(" diagnostics:")
            .AppendLine(StandardError.Trim());
        Assert.Fail(message.ToString());
    }

    [GeneratedRegex(@"^.+\(\d+,\d+\) : (Error|Warning|Info) \S+:")]
    private static partial Regex DiagnosticLine();
}
