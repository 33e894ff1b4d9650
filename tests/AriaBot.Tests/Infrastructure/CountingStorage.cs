using System.Collections.Concurrent;
using BotRuntime.State;
using Microsoft.Extensions.DependencyInjection;

namespace AriaBot.Tests;

/// <summary>
/// The host's storage with a tally: every call is recorded (what kind, which keys or prefix), so a test can say how
/// many storage round trips a turn made and which ones — the behaviour behind speed, never a timing.
/// </summary>
/// <param name="ownsInner">
/// True when the store underneath was made for this host (a factory registration) and so ends with it: disposing this
/// then disposes it, as the container would have. False for a store the test passed in, which may outlive the host.
/// </param>
internal sealed class CountingStorage(IStorage inner, bool ownsInner = false) : IStorage, IAsyncDisposable
{
    public ValueTask DisposeAsync() => ownsInner && inner is IAsyncDisposable disposable ? disposable.DisposeAsync() : ValueTask.CompletedTask;

    public sealed record Call(string Kind, IReadOnlyList<string> Keys);

    private readonly ConcurrentQueue<Call> _calls = new();

    public IReadOnlyList<Call> Calls => [.. _calls];

    public void Reset() => _calls.Clear();

    /// <summary>Prefix reads whose prefix starts with <paramref name="start"/>.</summary>
    public int PrefixReads(string start) => Calls.Count(call => call.Kind == "prefix" && call.Keys[0].StartsWith(start, StringComparison.Ordinal));

    public Task<IReadOnlyDictionary<string, StoreItem>> ReadAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken = default)
    {
        _calls.Enqueue(new Call("read", [.. keys]));
        return inner.ReadAsync(keys, cancellationToken);
    }

    /// <summary>Runs before each write reaches the store (a test's stand-in for another writer); null: nothing.</summary>
    public Func<IReadOnlyDictionary<string, StoreWrite>, Task>? BeforeWrite { get; set; }

    public async Task<IReadOnlyDictionary<string, string>> WriteAsync(IReadOnlyDictionary<string, StoreWrite> changes, CancellationToken cancellationToken = default)
    {
        _calls.Enqueue(new Call("write", [.. changes.Keys]));
        if (BeforeWrite is { } before)
        {
            await before(changes);
        }
        return await inner.WriteAsync(changes, cancellationToken);
    }

    public Task DeleteAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken = default)
    {
        _calls.Enqueue(new Call("delete", [.. keys]));
        return inner.DeleteAsync(keys, cancellationToken);
    }

    public Task<IReadOnlyList<KeyValuePair<string, StoreItem>>> ReadPrefixAsync(string prefix, int limit, CancellationToken cancellationToken = default)
    {
        _calls.Enqueue(new Call("prefix", [prefix]));
        return inner.ReadPrefixAsync(prefix, limit, cancellationToken);
    }

    public Task<int> PurgeExpiredAsync(CancellationToken cancellationToken = default)
    {
        _calls.Enqueue(new Call("purge", []));
        return inner.PurgeExpiredAsync(cancellationToken);
    }
}

internal static class CountingStorageRegistration
{
    /// <summary>Puts a <see cref="CountingStorage"/> in front of whatever storage the host registered.</summary>
    public static IServiceCollection AddCountingStorage(this IServiceCollection services)
    {
        var registered = services.Last(descriptor => descriptor.ServiceType == typeof(IStorage));
        services.Remove(registered);
        // The container disposes what its own registrations make; the store made here is below CountingStorage, so it
        // is disposed through it (or a SQLite store would keep its connections after the host).
        services.AddSingleton(sp => registered.ImplementationInstance is IStorage given
            ? new CountingStorage(given)
            : new CountingStorage(registered.ImplementationFactory?.Invoke(sp) as IStorage
                ?? (IStorage)ActivatorUtilities.CreateInstance(sp, registered.ImplementationType!), ownsInner: true));
        services.AddSingleton<IStorage>(sp => sp.GetRequiredService<CountingStorage>());
        return services;
    }
}
