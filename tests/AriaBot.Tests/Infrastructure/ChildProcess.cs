using System.Diagnostics;

namespace AriaBot.Tests;

/// <summary>Runs a program to its end (or kills it, with its children, past the time limit) and returns what it printed.</summary>
internal static class ChildProcess
{
    public static async Task<(int ExitCode, string StandardOutput, string StandardError)> RunAsync(
        string fileName, string workingDirectory, TimeSpan timeout, IReadOnlyDictionary<string, string> environment, IReadOnlyList<string> arguments)
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{fileName} did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{Path.GetFileName(fileName)} {string.Join(' ', arguments)} did not finish within {timeout}.");
        }
        return (process.ExitCode, await output, await error);
    }
}
