using AriaBot.Understanding;
using BotRuntime.Builder;
using BotRuntime.State;
using Microsoft.Extensions.DependencyInjection;

namespace AriaBot.Tests.Speed;

/// <summary>
/// Splits a turn's CPU and allocations by stage (issue 22): each middleware, the bot (dialogs and words), the
/// Understander and the state store, each measured <em>exclusive</em> of the stages it calls. Only meaningful with one
/// turn in flight in the process (the profile runs turns one at a time): CPU is the process's (getrusage through
/// <see cref="Environment.CpuUsage"/>, microsecond resolution), bytes are every thread's allocations, so a stage is
/// charged with what ran anywhere in the process while it was the innermost one — the meter's own few reads included.
/// </summary>
internal sealed class StageMeter
{
    private readonly Dictionary<string, (long Calls, double Cpu, long Bytes)> _totals = [];
    private readonly Lock _lock = new();
    private readonly AsyncLocal<Frame?> _current = new();

    private sealed class Frame(string name, Frame? parent, double cpu, long bytes)
    {
        public string Name { get; } = name;
        public Frame? Parent { get; } = parent;
        public double StartCpu { get; } = cpu;
        public long StartBytes { get; } = bytes;
        public double ChildCpu { get; set; }
        public long ChildBytes { get; set; }
    }

    public bool Enabled { get; set; }

    private static double CpuMicroseconds() => Environment.CpuUsage.TotalTime.TotalMicroseconds;

    private static long Bytes() => GC.GetTotalAllocatedBytes(precise: true);

    /// <summary>Measures <paramref name="run"/> as stage <paramref name="name"/>, less the stages it calls.</summary>
    public async Task<T> MeasureAsync<T>(string name, Func<Task<T>> run)
    {
        if (!Enabled)
        {
            return await run();
        }
        var parent = _current.Value;
        var frame = new Frame(name, parent, CpuMicroseconds(), Bytes());
        _current.Value = frame;
        try
        {
            return await run();
        }
        finally
        {
            var cpu = CpuMicroseconds() - frame.StartCpu;
            var bytes = Bytes() - frame.StartBytes;
            _current.Value = parent;
            lock (_lock)
            {
                var so = _totals.GetValueOrDefault(name);
                _totals[name] = (so.Calls + 1, so.Cpu + cpu - frame.ChildCpu, so.Bytes + bytes - frame.ChildBytes);
            }
            if (parent is not null)
            {
                parent.ChildCpu += cpu;
                parent.ChildBytes += bytes;
            }
        }
    }

    public async Task MeasureAsync(string name, Func<Task> run) => await MeasureAsync(name, async () =>
    {
        await run();
        return true;
    });

    public T Measure<T>(string name, Func<T> run) => MeasureAsync(name, () => Task.FromResult(run())).GetAwaiter().GetResult();

    /// <summary>The totals since the last call (calls, exclusive CPU µs, exclusive bytes), then cleared.</summary>
    public IReadOnlyDictionary<string, (long Calls, double Cpu, long Bytes)> Take()
    {
        lock (_lock)
        {
            var taken = new Dictionary<string, (long, double, long)>(_totals);
            _totals.Clear();
            return taken;
        }
    }
}

/// <summary>A middleware measured as its own stage; what it passes on to is measured by the next one.</summary>
internal sealed class MeteredMiddleware(IMiddleware inner, StageMeter meter) : IMiddleware
{
    private readonly string _name = "middleware " + inner.GetType().Name;

    public Task OnTurnAsync(ITurnContext turnContext, NextDelegate next, CancellationToken cancellationToken = default) =>
        meter.MeasureAsync(_name, () => inner.OnTurnAsync(turnContext, ct => meter.MeasureAsync("(next) after " + _name, () => next(ct)), cancellationToken));
}

internal sealed class MeteredBot(IBot inner, StageMeter meter) : IBot, IInterruptedTurnBot
{
    public Task OnTurnAsync(ITurnContext turnContext, CancellationToken cancellationToken = default) =>
        meter.MeasureAsync("bot (dialogs, words, cards)", () => inner.OnTurnAsync(turnContext, cancellationToken));

    public Task OnInterruptedTurnAsync(ITurnContext turnContext, CancellationToken cancellationToken) =>
        ((IInterruptedTurnBot)inner).OnInterruptedTurnAsync(turnContext, cancellationToken);
}

internal sealed class MeteredUnderstander(IUnderstander inner, StageMeter meter) : IUnderstander
{
    public UnderstandingResult Understand(string? text, string? locale, UnderstandingContext? context = null) =>
        meter.Measure("understander", () => inner.Understand(text, locale, context));
}

internal sealed class MeteredStorage(IStorage inner, StageMeter meter) : IStorage
{
    public Task<IReadOnlyDictionary<string, StoreItem>> ReadAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken = default) =>
        meter.MeasureAsync("store read", () => inner.ReadAsync(keys, cancellationToken));

    public Task<IReadOnlyDictionary<string, string>> WriteAsync(IReadOnlyDictionary<string, StoreWrite> changes, CancellationToken cancellationToken = default) =>
        meter.MeasureAsync("store write", () => inner.WriteAsync(changes, cancellationToken));

    public Task DeleteAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken = default) =>
        meter.MeasureAsync("store delete", () => inner.DeleteAsync(keys, cancellationToken));

    public Task<IReadOnlyList<KeyValuePair<string, StoreItem>>> ReadPrefixAsync(string prefix, int limit, CancellationToken cancellationToken = default) =>
        meter.MeasureAsync("store prefix read", () => inner.ReadPrefixAsync(prefix, limit, cancellationToken));

    public Task<int> PurgeExpiredAsync(CancellationToken cancellationToken = default) => inner.PurgeExpiredAsync(cancellationToken);
}

internal static class StageMeterRegistration
{
    /// <summary>Puts the meter around every middleware, the bot, the Understander and the store the host registered.</summary>
    public static IServiceCollection AddStageMeter(this IServiceCollection services)
    {
        services.AddSingleton<StageMeter>();
        for (var i = 0; i < services.Count; i++)
        {
            var descriptor = services[i];
            if (descriptor.ServiceType == typeof(IMiddleware))
            {
                services[i] = ServiceDescriptor.Singleton<IMiddleware>(sp => new MeteredMiddleware((IMiddleware)Create(sp, descriptor), sp.GetRequiredService<StageMeter>()));
            }
            else if (descriptor.ServiceType == typeof(IBot))
            {
                services[i] = ServiceDescriptor.Singleton<IBot>(sp => new MeteredBot((IBot)Create(sp, descriptor), sp.GetRequiredService<StageMeter>()));
            }
            else if (descriptor.ServiceType == typeof(IUnderstander))
            {
                services[i] = ServiceDescriptor.Singleton<IUnderstander>(sp => new MeteredUnderstander((IUnderstander)Create(sp, descriptor), sp.GetRequiredService<StageMeter>()));
            }
        }
        var storage = services.Last(descriptor => descriptor.ServiceType == typeof(IStorage));
        services.Remove(storage);
        services.AddSingleton<IStorage>(sp => new MeteredStorage((IStorage)Create(sp, storage), sp.GetRequiredService<StageMeter>()));
        return services;
    }

    private static object Create(IServiceProvider sp, ServiceDescriptor descriptor) =>
        descriptor.ImplementationInstance ?? descriptor.ImplementationFactory?.Invoke(sp) ?? ActivatorUtilities.CreateInstance(sp, descriptor.ImplementationType!);
}
