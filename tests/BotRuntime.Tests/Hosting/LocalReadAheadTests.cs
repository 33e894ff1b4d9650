using System.Net;
using System.Security.Claims;
using System.Text.Json;
using BotRuntime.Builder;
using BotRuntime.Hosting;
using BotRuntime.Schema;
using BotRuntime.State;
using BotRuntime.Telemetry;
using BotRuntime.Tests.State;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace BotRuntime.Tests.Hosting;

/// <summary>
/// A turn on SQLite reads what PostgreSQL reads with the lease — the anonymous ingress's refusal keys, the conversation
/// state and the keys the bot names (<see cref="ITurnReadAheadKeys"/>) — in one read of the file once this process holds
/// the conversation (issue 22); the turn's reads of them are served from it, and what the turn writes is what the next
/// turn reads.
/// </summary>
[Collection(SqlitePoolCollection.Name)]
public sealed class LocalReadAheadTests : IAsyncLifetime
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"ariabot-localreadahead-{Guid.NewGuid():N}.db");
    private readonly StateReadingBot _bot = new();
    private BotTestHost _host = null!;

    public async Task InitializeAsync()
    {
        _host = await BotTestHost.StartAsync(_bot, settings: new() { ["State:Provider"] = "Sqlite", ["State:SqlitePath"] = _path }, configure: builder =>
        {
            builder.Services.AddSingleton<ITurnReadAheadKeys>(new ExtrasKeys());
            builder.Services.AddSingleton<IIngressConversations>(new OwnedConversations());
        });
        _bot.Services = _host.App.Services;
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        SqliteConnection.ClearAllPools();
        foreach (var file in new[] { _path, _path + "-wal", _path + "-shm" })
        {
            File.Delete(file);
        }
    }

    private IStorage Storage => _host.App.Services.GetRequiredService<IStorage>();

    private SqliteStorage Sqlite => (SqliteStorage)((InstrumentedStorage)Storage).Inner;

    [Fact]
    public async Task Each_turn_reads_its_state_named_keys_and_refusal_keys_in_one_read_and_sees_the_last_turns_writes()
    {
        for (var turn = 1; turn <= 3; turn++)
        {
            var before = Sqlite.FileReads;
            var response = await _host.PostAsync(BotTestHost.Message($"turn {turn}", id: $"a{turn}"));

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            // The state's step and the named key's count both moved on: each read saw the previous turn's write, and the
            // named key's save with the eTag it was served passed the file's check.
            Assert.Equal($"step {turn} extras {turn}", Assert.Single(await BotTestHost.RepliesAsync(response)).Text);
            Assert.Equal(before + 1, Sqlite.FileReads);
        }
    }

    [Fact]
    public async Task A_conversation_another_ingress_owns_is_refused_by_that_read_with_nothing_run_or_written()
    {
        await Storage.WriteAsync(new Dictionary<string, StoreWrite> { ["owned/taken"] = new(JsonSerializer.SerializeToElement(new { by = "directline" }), null) });
        var before = Sqlite.FileReads;

        var response = await _host.PostAsync(BotTestHost.Message("yes", id: "r1", conversation: "taken"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(0, _bot.Turns);
        Assert.Equal(before + 1, Sqlite.FileReads);
        Assert.Empty(await Storage.ReadAsync(["deliveries/anonymous/test/taken/r1", "extras/taken"]));
    }

    /// <summary>Reads a conversation-state property and a key of its own each turn, and writes both.</summary>
    private sealed class StateReadingBot : IBot
    {
        public IServiceProvider Services { get; set; } = null!;

        public int Turns { get; private set; }

        public async Task OnTurnAsync(ITurnContext turnContext, CancellationToken cancellationToken = default)
        {
            Turns++;
            var step = Services.GetRequiredService<ConversationState>().CreateProperty<int>("step");
            var next = await step.GetAsync(turnContext, () => 0, cancellationToken) + 1;
            await step.SetAsync(turnContext, next, cancellationToken);

            var storage = Services.GetRequiredService<IStorage>();
            var key = ExtrasKeys.For(turnContext.Activity);
            var found = await storage.ReadAsync([key], cancellationToken);
            var count = found.TryGetValue(key, out var item) ? item.Document.GetProperty("count").GetInt32() + 1 : 1;
            await storage.WriteAsync(new Dictionary<string, StoreWrite> { [key] = new(JsonSerializer.SerializeToElement(new { count }), item?.ETag) }, cancellationToken);
            await turnContext.SendActivityAsync($"step {next} extras {count}", cancellationToken: cancellationToken);
        }
    }

    private sealed class ExtrasKeys : ITurnReadAheadKeys
    {
        public static string For(Activity activity) => "extras/" + activity.Conversation!.Id;

        public IEnumerable<string> KeysFor(Activity activity, ClaimsIdentity? identity) => [For(activity)];
    }

    private sealed class OwnedConversations : IIngressConversations
    {
        public Task<bool> OwnsAsync(string conversationId, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("The ownership key is checked by the turn's start.");

        public bool TryGetOwnershipKey(string conversationId, out string? key)
        {
            key = "owned/" + conversationId;
            return true;
        }
    }
}
