using Microsoft.Extensions.Options;

namespace AriaBot.SignIn;

/// <summary>
/// Ends the Aria sessions of sign-ins abandoned after the page (signed in, code never typed, code expired) every
/// <see cref="SignInOptions.AbandonedSignInSweepInterval"/> on the host's <see cref="TimeProvider"/>. Without it such a
/// session would stay open on Aria's clock with nobody able to use it. Safe on every instance at once: each record
/// is claimed under its eTag before its session is ended.
/// </summary>
internal sealed partial class AbandonedSignInSweep(SignInLinks links, IOptionsMonitor<SignInOptions> options, TimeProvider timeProvider, ILogger<AbandonedSignInSweep> logger) : BackgroundService
{
    // Link keys end in a hex SHA-256, so sixteen prefixes cover them all in slices the store can read whole
    // (IStorage pages by prefix and count only): up to 16 x 500 live links (about an hour's sign-ins) per run.
    private const int BatchSize = 500;
    private const string HexDigits = "0123456789abcdef";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.CurrentValue.AbandonedSignInSweepInterval, timeProvider);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                await SweepAsync(stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    internal async Task SweepAsync(CancellationToken cancellationToken)
    {
        try
        {
            foreach (var digit in HexDigits)
            {
                await links.EndAbandonedAsync(digit.ToString(), BatchSize, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // A store or network hiccup: the next run tries again; the sweep must not stop the host.
            LogSweepFailed(logger, exception);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The abandoned sign-in sweep failed; the next run tries again")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);
}
