using Aria.Client;
using AriaBot.Catalog;
using AriaBot.SelfService;
using AriaBot.Understanding;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace AriaBot.Tests.Catalog;

/// <summary>
/// The names the understander knows are read in the background: a turn never waits on a slow or failing Aria once
/// names were read, and before that at most <see cref="CatalogOptions.FirstReadTimeout"/>. Every wait here is on the
/// fake clock or on the fake source's own signals; the real-time bounds only stop a hung test.
/// </summary>
public sealed class UnderstandingCatalogTests : IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
    private static readonly NamedItem Basic = new("BASIC", "Basic") { Kind = NamedItem.PlanKind };
    private static readonly NamedItem Premium = new("PREMIUM", "Premium") { Kind = NamedItem.PlanKind };
    private static readonly NamedItem Router = new("ROUTER-1", "Router") { Kind = NamedItem.ItemKind };

    private readonly FakeTimeProvider _time = new();
    private readonly ScriptedSource _plans = new();
    private readonly ScriptedSource _items = new();
    private readonly TestMonitor<CatalogOptions> _options = new(new CatalogOptions());
    private readonly UnderstandingCatalog _catalog;

    public UnderstandingCatalogTests()
    {
        _catalog = new UnderstandingCatalog([_plans, _items], _options, new TestMonitor<SelfServiceOptions>(new SelfServiceOptions()), _time, NullLogger<UnderstandingCatalog>.Instance);
    }

    public void Dispose() => _catalog.Dispose();

    [Fact]
    public async Task The_start_up_read_is_what_the_first_turn_gets_from_every_source()
    {
        _catalog.WarmUp();
        await _plans.AnswerAsync(Ok(Basic));
        await _items.AnswerAsync(Ok(Router));
        Assert.Equal([Basic, Router], await _catalog.ItemsAsync(CancellationToken.None).WaitAsync(Bound));
        Assert.Equal((1, 1), (_plans.Calls, _items.Calls));
    }

    [Fact]
    public async Task Once_names_were_read_a_turn_never_waits_on_a_slow_read_and_only_one_read_runs()
    {
        await ReadFirstAsync(Ok(Basic), Ok(Router));
        _time.Advance(_options.CurrentValue.NamesRefreshAfter);

        // Aria is now slow: the sources never answer. Each turn gets the last names at once.
        var first = _catalog.ItemsAsync(CancellationToken.None);
        var second = _catalog.ItemsAsync(CancellationToken.None);
        Assert.True(first.IsCompletedSuccessfully);
        Assert.True(second.IsCompletedSuccessfully);
        Assert.Equal([Basic, Router], await first);
        await _plans.CalledAsync(2).WaitAsync(Bound);
        Assert.False(_catalog.Reading.IsCompleted);
        _time.Advance(TimeSpan.FromHours(1));
        Assert.True(_catalog.ItemsAsync(CancellationToken.None).IsCompletedSuccessfully);
        // However many turns found the names old, one read went to Aria.
        Assert.Equal((2, 2), (_plans.Calls, _items.Calls));
    }

    [Fact]
    public async Task Before_any_names_a_turn_waits_at_most_the_first_read_timeout_and_goes_on_without_names()
    {
        var turn = _catalog.ItemsAsync(CancellationToken.None);
        await _plans.CalledAsync(1).WaitAsync(Bound);
        Assert.False(turn.IsCompleted);
        _time.Advance(_options.CurrentValue.FirstReadTimeout);
        Assert.Empty(await turn.WaitAsync(Bound));

        // The read still hangs: later turns do not wait for it again.
        Assert.True(_catalog.ItemsAsync(CancellationToken.None).IsCompletedSuccessfully);
        Assert.Equal(1, _plans.Calls);

        // When Aria answers at last, the names are there for the next turn.
        await _plans.AnswerAsync(Ok(Premium));
        await _items.AnswerAsync(Ok(Router));
        await _catalog.Reading.WaitAsync(Bound);
        Assert.Equal([Premium, Router], await _catalog.ItemsAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_refreshed_catalog_is_picked_up_and_a_failed_read_keeps_the_last_names_and_is_tried_again()
    {
        await ReadFirstAsync(Ok(Basic), Ok(Router));

        // Older than NamesRefreshAfter: this turn still gets the old names; the read it started brings the new ones.
        _time.Advance(_options.CurrentValue.NamesRefreshAfter);
        Assert.Equal([Basic, Router], await _catalog.ItemsAsync(CancellationToken.None));
        await _plans.AnswerAsync(Ok(Basic, Premium));
        await _items.AnswerAsync(Ok(Router));
        await _catalog.Reading.WaitAsync(Bound);
        Assert.Equal([Basic, Premium, Router], await _catalog.ItemsAsync(CancellationToken.None));
        Assert.Equal(2, _plans.Calls);

        // Aria fails the plans: the last plan names stay, the items are new, and the next turn reads again.
        _time.Advance(_options.CurrentValue.NamesRefreshAfter);
        await _catalog.ItemsAsync(CancellationToken.None);
        await _plans.AnswerAsync(AriaResult<IReadOnlyList<NamedItem>>.Failure(AriaError.Unavailable(AriaUnavailableReason.Timeout, "slow", outcomeUnknown: false)));
        await _items.AnswerAsync(Ok());
        await _catalog.Reading.WaitAsync(Bound);
        Assert.Equal([Basic, Premium], await _catalog.ItemsAsync(CancellationToken.None));
        await _plans.CalledAsync(4).WaitAsync(Bound);
        await _plans.AnswerAsync(Ok(Premium));
        await _items.AnswerAsync(Ok(Router));
        await _catalog.Reading.WaitAsync(Bound);
        Assert.Equal([Premium, Router], await _catalog.ItemsAsync(CancellationToken.None));
    }

    [Fact]
    public async Task New_synonyms_are_read_by_the_next_turn_without_waiting_for_the_cache()
    {
        await ReadFirstAsync(Ok(Premium), Ok());
        _options.Change(new CatalogOptions { Synonyms = new(StringComparer.OrdinalIgnoreCase) { ["es-ES"] = new() { ["premium"] = ["prémium"] } } });
        Assert.Equal([Premium], await _catalog.ItemsAsync(CancellationToken.None));
        await _plans.AnswerAsync(Ok(Premium));
        await _items.AnswerAsync(Ok());
        await _catalog.Reading.WaitAsync(Bound);
        var item = Assert.Single(await _catalog.ItemsAsync(CancellationToken.None));
        Assert.Equal(new[] { "prémium" }, item.SynonymsByLocale!["es-ES"]);
    }

    [Fact]
    public async Task A_source_that_throws_is_a_failed_read_not_a_failed_turn()
    {
        await ReadFirstAsync(Ok(Basic), Ok(Router));
        _time.Advance(_options.CurrentValue.NamesRefreshAfter);
        await _catalog.ItemsAsync(CancellationToken.None);
        await _plans.ThrowAsync(new InvalidOperationException("broken source"));
        await _items.AnswerAsync(Ok(Router));
        await _catalog.Reading.WaitAsync(Bound);
        Assert.Equal([Basic, Router], await _catalog.ItemsAsync(CancellationToken.None));
    }

    private async Task ReadFirstAsync(AriaResult<IReadOnlyList<NamedItem>> plans, AriaResult<IReadOnlyList<NamedItem>> items)
    {
        _catalog.WarmUp();
        await _plans.AnswerAsync(plans);
        await _items.AnswerAsync(items);
        await _catalog.Reading.WaitAsync(Bound);
    }

    private static AriaResult<IReadOnlyList<NamedItem>> Ok(params NamedItem[] items) => AriaResult<IReadOnlyList<NamedItem>>.Success(items);

    /// <summary>A source whose every read waits until the test answers it, and which counts the reads.</summary>
    private sealed class ScriptedSource : IUnderstandingCatalogSource
    {
        private readonly Lock _gate = new();
        private readonly List<TaskCompletionSource<AriaResult<IReadOnlyList<NamedItem>>>> _reads = [];
        private readonly List<(int Count, TaskCompletionSource Reached)> _waiters = [];

        public int Calls
        {
            get
            {
                lock (_gate)
                {
                    return _reads.Count;
                }
            }
        }

        public Task<AriaResult<IReadOnlyList<NamedItem>>> ItemsAsync(CancellationToken cancellationToken)
        {
            lock (_gate)
            {
                var read = new TaskCompletionSource<AriaResult<IReadOnlyList<NamedItem>>>(TaskCreationOptions.RunContinuationsAsynchronously);
                _reads.Add(read);
                foreach (var waiter in _waiters.Where(w => w.Count <= _reads.Count))
                {
                    waiter.Reached.TrySetResult();
                }
                return read.Task;
            }
        }

        /// <summary>Completes when the source has been read <paramref name="count"/> times in all.</summary>
        public Task CalledAsync(int count)
        {
            lock (_gate)
            {
                var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _waiters.Add((count, reached));
                if (_reads.Count >= count)
                {
                    reached.TrySetResult();
                }
                return reached.Task;
            }
        }

        /// <summary>Answers the latest read, once it has been made (the catalog reads on a pool thread).</summary>
        public async Task AnswerAsync(AriaResult<IReadOnlyList<NamedItem>> result) => (await NextAsync()).SetResult(result);

        public async Task ThrowAsync(Exception exception) => (await NextAsync()).SetException(exception);

        /// <summary>The first read not answered yet, once the catalog has made it.</summary>
        private async Task<TaskCompletionSource<AriaResult<IReadOnlyList<NamedItem>>>> NextAsync()
        {
            await CalledAsync(_answered + 1).WaitAsync(Bound);
            lock (_gate)
            {
                return _reads[_answered++];
            }
        }

        private int _answered;
    }

    private sealed class TestMonitor<T>(T value) : IOptionsMonitor<T>
    {
        private readonly List<Action<T, string?>> _listeners = [];

        public T CurrentValue { get; private set; } = value;

        public T Get(string? name) => CurrentValue;

        public IDisposable OnChange(Action<T, string?> listener)
        {
            _listeners.Add(listener);
            return new Subscription();
        }

        public void Change(T value)
        {
            CurrentValue = value;
            foreach (var listener in _listeners)
            {
                listener(value, null);
            }
        }

        private sealed class Subscription : IDisposable
        {
            public void Dispose()
            {
            }
        }
    }
}
