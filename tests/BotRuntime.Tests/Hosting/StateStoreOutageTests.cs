using System.Net;
using BotRuntime.DirectLine;
using BotRuntime.State;
using BotRuntime.Tests.DirectLine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace BotRuntime.Tests.Hosting;

/// <summary>A state store that does not answer yet when the host starts (a database still coming up).</summary>
public sealed class StateStoreOutageTests
{
    [Fact]
    public async Task The_host_keeps_running_while_the_store_is_down_reports_not_ready_and_recovers_when_it_answers()
    {
        var storage = new OutageStorage(new MemoryStorage(TimeProvider.System)) { Down = true };
        await using var host = await DirectLineTestHost.StartAsync(new DirectLineTestBot(), configure: builder =>
        {
            builder.Services.AddSingleton<IStorage>(storage);
            builder.Services.Configure<HostOptions>(options => options.BackgroundServiceExceptionBehavior = BackgroundServiceExceptionBehavior.StopHost);
        });
        var health = host.App.Services.GetRequiredService<HealthCheckService>();
        Task<HealthReport> ReadyAsync() => health.CheckHealthAsync(check => check.Tags.Contains("ready"));

        // The queued-turn resume failed at start and is retried; the host did not stop.
        await WaitUntilAsync(() => storage.FailedCalls > 0);
        var lifetime = host.App.Services.GetRequiredService<IHostApplicationLifetime>();
        Assert.False(lifetime.ApplicationStopping.IsCancellationRequested);
        Assert.Equal(HealthStatus.Unhealthy, (await ReadyAsync()).Status);

        storage.Down = false;
        Assert.Equal(HealthStatus.Healthy, (await ReadyAsync()).Status);
        // And Direct Line works: a conversation starts.
        var start = await host.SendAsync(HttpMethod.Post, "/v3/directline/conversations", DirectLineTestHost.Secret);
        Assert.Equal(HttpStatusCode.Created, start.StatusCode);
        Assert.False(lifetime.ApplicationStopping.IsCancellationRequested);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (var i = 0; i < 200 && !condition(); i++)
        {
            await Task.Delay(25);
        }
        Assert.True(condition(), "timed out waiting");
    }

    private sealed class OutageStorage(IStorage inner) : IStorage
    {
        private int _failedCalls;

        public volatile bool Down;

        public int FailedCalls => Volatile.Read(ref _failedCalls);

        private void ThrowWhenDown()
        {
            if (Down)
            {
                Interlocked.Increment(ref _failedCalls);
                throw new InvalidOperationException("the state store is down (simulated)");
            }
        }

        public Task<IReadOnlyDictionary<string, StoreItem>> ReadAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken = default)
        {
            ThrowWhenDown();
            return inner.ReadAsync(keys, cancellationToken);
        }

        public Task<IReadOnlyDictionary<string, string>> WriteAsync(IReadOnlyDictionary<string, StoreWrite> changes, CancellationToken cancellationToken = default)
        {
            ThrowWhenDown();
            return inner.WriteAsync(changes, cancellationToken);
        }

        public Task DeleteAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken = default)
        {
            ThrowWhenDown();
            return inner.DeleteAsync(keys, cancellationToken);
        }

        public Task<IReadOnlyList<KeyValuePair<string, StoreItem>>> ReadPrefixAsync(string prefix, int limit, CancellationToken cancellationToken = default)
        {
            ThrowWhenDown();
            return inner.ReadPrefixAsync(prefix, limit, cancellationToken);
        }

        public Task<int> PurgeExpiredAsync(CancellationToken cancellationToken = default)
        {
            ThrowWhenDown();
            return inner.PurgeExpiredAsync(cancellationToken);
        }
    }
}
