using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace BotRuntime.DirectLine;

/// <summary>The per-conversation flood limits: one for posts, one for everything else a client does.</summary>
public sealed class DirectLineRateLimits : IDisposable
{
    public DirectLineRateLimits(IOptions<DirectLineOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var settings = options.Value;
        Posts = Create(settings.MaxPostsPerWindow, settings.RateLimitWindow);
        Reads = Create(settings.MaxReadsPerWindow, settings.RateLimitWindow);
    }

    public PartitionedRateLimiter<string> Posts { get; }

    public PartitionedRateLimiter<string> Reads { get; }

    private static PartitionedRateLimiter<string> Create(int permits, TimeSpan window) =>
        PartitionedRateLimiter.Create<string, string>(conversationId => RateLimitPartition.GetFixedWindowLimiter(conversationId, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = permits,
            Window = window,
            QueueLimit = 0,
            AutoReplenishment = true,
        }));

    public void Dispose()
    {
        Posts.Dispose();
        Reads.Dispose();
    }
}
