using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using BotRuntime.Builder;
using BotRuntime.Dialogs;
using BotRuntime.Dialogs.Prompts;
using BotRuntime.Hosting;
using BotRuntime.Schema;
using BotRuntime.State;
using BotRuntime.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

/// <summary>
/// The five-turn waterfall of issue 22 on our runtime, word for word what bench/js/waterfall.js builds on botbuilder
/// 4.23.3, so one script of expected replies checks both.
/// </summary>
internal static class Waterfall
{
    /// <summary>What is sent, and what the reply must contain; a reply without it is an error.</summary>
    public static readonly (string Send, string Expect)[] Script =
    [
        ("hi", "What's your name?"),
        ("Ada", "How many seats, Ada?"),
        ("3 seats", "For which day?"),
        ("next friday", "Book 3 seats for Ada on 20"),
        ("yes", "Booked: 3 seats for Ada on 20"),
    ];

    public static Dialog Create(TimeProvider timeProvider)
    {
        var booking = new ComponentDialog("booking") { InitialDialogId = "book" };
        booking.AddDialog(new WaterfallDialog("book")
            .Step("name", (step, token) => step.PromptAsync("name", Ask("What's your name?"), token))
            .Step("seats", (step, token) =>
            {
                var name = step.ResultAs<string>();
                step.Values.Set("name", name);
                return step.PromptAsync("seats", Ask($"How many seats, {name}?"), token);
            })
            .Step("date", (step, token) =>
            {
                step.Values.Set("seats", step.ResultAs<int>());
                return step.PromptAsync("date", Ask("For which day?"), token);
            })
            .Step("confirm", (step, token) =>
            {
                var preferred = step.ResultAs<BotRuntime.Recognition.DateTimeResult>().Preferred;
                var date = (preferred?.Value ?? preferred?.Start)?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? string.Empty;
                step.Values.Set("date", date);
                return step.PromptAsync("confirm", Ask($"Book {step.Values.Get<int>("seats")} seats for {step.Values.Get<string>("name")} on {date}?"), token);
            })
            .Step("done", async (step, token) =>
            {
                await step.Context.SendActivityAsync(step.ResultAs<bool>()
                    ? $"Booked: {step.Values.Get<int>("seats")} seats for {step.Values.Get<string>("name")} on {step.Values.Get<string>("date")}."
                    : "Nothing booked.", cancellationToken: token).ConfigureAwait(false);
                return await step.EndDialogAsync(null, token).ConfigureAwait(false);
            }));
        booking.AddDialog(new TextPrompt("name"));
        booking.AddDialog(new NumberPrompt<int>("seats"));
        booking.AddDialog(new DateTimePrompt("date", timeProvider));
        booking.AddDialog(new ConfirmPrompt("confirm"));
        return booking;
    }

    private static PromptOptions Ask(string text) => new() { Prompt = MessageFactory.Text(text) };

    /// <summary>The problem with a turn's replies, or null when a message contains what the script expects.</summary>
    public static string? Check(IEnumerable<string?> texts, int turn)
    {
        var list = texts.ToList();
        return list.Any(text => text is not null && text.Contains(Script[turn].Expect, StringComparison.Ordinal))
            ? null
            : $"turn {turn + 1} (\"{Script[turn].Send}\"): expected \"{Script[turn].Expect}\", got {JsonSerializer.Serialize(list)}";
    }
}

/// <summary>The waterfall as a bot: run on every message, state saved by the runtime's auto-save.</summary>
internal sealed class WaterfallBot(ConversationState conversationState, TimeProvider timeProvider) : IBot
{
    private readonly Dialog _root = Waterfall.Create(timeProvider);
    private readonly IStatePropertyAccessor<DialogState> _dialogState = conversationState.CreateProperty<DialogState>("DialogState");

    public async Task OnTurnAsync(ITurnContext turnContext, CancellationToken cancellationToken = default)
    {
        if (turnContext.Activity.Type == ActivityTypes.Message)
        {
            await _root.RunAsync(turnContext, _dialogState, null, cancellationToken).ConfigureAwait(false);
        }
    }
}

internal static class Peer
{
    /// <summary>In-process: the waterfall under our TestAdapter, C conversations at a time, every reply checked.</summary>
    public static async Task<int> InProcessAsync(Options options)
    {
        var seconds = options.Int("seconds", 10);
        var warmup = options.Int("warmup", 5);
        var concurrency = options.Int("concurrency", 1);
        var storage = new MemoryStorage();
        var conversationState = new ConversationState(storage);
        var bot = new WaterfallBot(conversationState, TimeProvider.System);
        var clock = Stopwatch.StartNew();
        var measureFrom = TimeSpan.FromSeconds(warmup);
        var measureTo = measureFrom + TimeSpan.FromSeconds(seconds);
        long turns = 0, errors = 0, next = 0;
        string? firstError = null;
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            while (clock.Elapsed < measureTo)
            {
                var id = Interlocked.Increment(ref next);
                var adapter = new TestAdapter(new TestAdapterOptions { ConversationId = $"c{id}", UserId = $"u{id}", Locale = "en-US" },
                    new AutoSaveStateMiddleware(conversationState));
                for (var turn = 0; turn < Waterfall.Script.Length; turn++)
                {
                    await adapter.SendTextToBotAsync(Waterfall.Script[turn].Send, bot.OnTurnAsync).ConfigureAwait(false);
                    var problem = Waterfall.Check(adapter.DrainReplies().Select(reply => reply.Text), turn);
                    var at = clock.Elapsed;
                    if (at < measureFrom || at > measureTo)
                    {
                        continue;
                    }
                    if (problem is null)
                    {
                        Interlocked.Increment(ref turns);
                    }
                    else
                    {
                        Interlocked.Increment(ref errors);
                        firstError ??= problem;
                    }
                }
            }
        }))).ConfigureAwait(false);
        var rate = turns / (double)seconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{"our-inproc",-10} C={concurrency,-3} {rate,8:F0} turns/s  errors {errors}"));
        if (firstError is not null)
        {
            Console.WriteLine($"  error: {firstError}");
        }
        Results.Append(options, "our-inproc", concurrency, rate);
        return errors == 0 && turns > 0 ? 0 : 1;
    }

    /// <summary>
    /// The waterfall (or the recognizer-free echo) on our runtime over HTTP (/api/messages), logs at Warning, with its
    /// state on <c>--store memory|sqlite|postgres</c>: the durable-state targets of issue 22 are stated for the
    /// runtime's own turn, so it runs on every store (<c>--sqlite-path FILE</c>, <c>--postgres CONNECTION</c>).
    /// </summary>
    public static async Task<int> ServeWaterfallAsync(Options options)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Development", Args = [] });
        switch (options.Get("store", "memory"))
        {
            case "memory":
                builder.Configuration["State:Provider"] = "Memory";
                break;
            case "sqlite":
                builder.Configuration["State:Provider"] = "Sqlite";
                // Absolute, so the content root does not move it; a fresh file per run unless the caller names one.
                builder.Configuration["State:SqlitePath"] = Path.GetFullPath(options.Get("sqlite-path", Path.Combine(Path.GetTempPath(), $"bench-runtime-{Guid.NewGuid():N}.db")));
                break;
            case "postgres":
                builder.Configuration["State:Provider"] = "Postgres";
                builder.Configuration["State:PostgresConnectionString"] = options.Values.TryGetValue("postgres", out var connection)
                    ? connection
                    : throw new ArgumentException("--store postgres needs --postgres \"Host=…;Port=…;Username=…;Database=…\"");
                break;
            case var other:
                throw new ArgumentException($"unknown --store {other} (memory, sqlite or postgres)");
        }
        builder.Configuration["Serilog:MinimumLevel:Default"] = "Warning";
        builder.WebHost.UseUrls($"http://127.0.0.1:{options.Int("port", 5191)}");
        builder.AddBotRuntime();
        if (options.Get("bot", "waterfall") == "echo")
        {
            builder.Services.AddSingleton<IBot, RuntimeEchoBot>();
        }
        else
        {
            builder.Services.AddSingleton<IBot, WaterfallBot>();
        }
        var app = builder.Build();
        app.MapGet("/", () => "ok");
        app.MapBotRuntime();
        await app.RunAsync().ConfigureAwait(false);
        return 0;
    }

    /// <summary>The ceiling: Kestrel reading the activity and answering an expectReplies body with its text, nothing else.</summary>
    public static async Task<int> ServeEchoAsync(Options options)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{options.Int("port", 5192)}");
        var app = builder.Build();
        app.MapGet("/", () => "ok");
        app.MapPost("/api/messages", async (HttpContext context) =>
        {
            using var activity = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted).ConfigureAwait(false);
            var text = activity.RootElement.TryGetProperty("text", out var value) ? value.GetString() : null;
            var body = new JsonObject { ["activities"] = new JsonArray(new JsonObject { ["type"] = "message", ["text"] = text }) };
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(body.ToJsonString(), context.RequestAborted).ConfigureAwait(false);
        });
        await app.RunAsync().ConfigureAwait(false);
        return 0;
    }

    /// <summary>
    /// Closed-loop load over HTTP expectReplies on any of the servers: each user runs the waterfall (or, on an echo,
    /// one turn that must come back with its own text) conversation after conversation, every reply checked.
    /// </summary>
    public static Task<int> HttpAsync(Options options)
    {
        var url = new Uri(options.Get("url", "http://127.0.0.1:5191"));
        var users = options.Int("users", 16);
        var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = users * 2 }) { Timeout = TimeSpan.FromSeconds(30) };
        var run = Guid.NewGuid().ToString("N")[..8];
        var echo = options.Get("script", "waterfall") == "echo";
        return ClosedLoop.RunAsync(options, user => echo
            ? new EchoUser(client, url, $"{run}-{user}")
            : new WaterfallUser(client, url, $"{run}-{user}"));
    }
}

/// <summary>The waterfall, conversation after conversation; the fifth turn completes a flow.</summary>
internal sealed class WaterfallUser(HttpClient client, Uri url, string id) : IVirtualUser
{
    private ExpectRepliesChat? _chat;
    private int _conversation;
    private int _turn;

    public Task PrepareAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task<TurnOutcome> TurnAsync(CancellationToken cancellationToken)
    {
        if (_turn == 0)
        {
            _chat = new ExpectRepliesChat(client, url, $"peer-{id}-{_conversation++}", $"user-{id}");
        }
        var turn = _turn;
        _turn = (_turn + 1) % Waterfall.Script.Length;
        var replies = await _chat!.SayAsync(Waterfall.Script[turn].Send, cancellationToken).ConfigureAwait(false);
        var problem = Waterfall.Check(replies.Where(reply => reply.Type == "message").Select(reply => reply.Text), turn);
        if (problem is not null)
        {
            _turn = 0;
        }
        return new TurnOutcome(problem, turn == Waterfall.Script.Length - 1);
    }
}

/// <summary>One turn per conversation that must come back with its own text (the echo servers).</summary>
internal sealed class EchoUser(HttpClient client, Uri url, string id) : IVirtualUser
{
    private int _conversation;

    public Task PrepareAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task<TurnOutcome> TurnAsync(CancellationToken cancellationToken)
    {
        var text = $"echo {id}-{_conversation}";
        var replies = await new ExpectRepliesChat(client, url, $"echo-{id}-{_conversation++}", $"user-{id}").SayAsync(text, cancellationToken).ConfigureAwait(false);
        return new TurnOutcome(replies.Any(reply => reply.Text == text) ? null : $"echo lost: {Reply.Show(replies)}", true);
    }
}

/// <summary>
/// The runtime's turn without recognizers: conversation state read, a counter kept in it, the text echoed, state
/// saved by the runtime's auto-save. What every turn pays on our runtime before a bot does anything of its own; the
/// issue's target compares it with the bare Kestrel echo.
/// </summary>
internal sealed class RuntimeEchoBot(ConversationState conversationState) : IBot
{
    private readonly IStatePropertyAccessor<int> _turns = conversationState.CreateProperty<int>("turns");

    public async Task OnTurnAsync(ITurnContext turnContext, CancellationToken cancellationToken = default)
    {
        if (turnContext.Activity.Type == ActivityTypes.Message)
        {
            var turns = await _turns.GetAsync(turnContext, () => 0, cancellationToken).ConfigureAwait(false);
            await _turns.SetAsync(turnContext, turns + 1, cancellationToken).ConfigureAwait(false);
            await turnContext.SendActivityAsync(turnContext.Activity.Text ?? string.Empty, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
    }
}

/// <summary>
/// Appends "label, users, turns/s, p95 ms, CPU ms/turn, KB allocated/turn" (NaN when not measured) to the run's results
/// file (--results), from which run.sh prints the ratios and bench/README.md's table is made. A KB/turn that was
/// measured but cannot be trusted is written "n/a", with the reason as a seventh column (run.sh prints it under the table).
/// </summary>
internal static class Results
{
    public static void Append(Options options, string label, int users, double rate, double p95 = double.NaN, double cpu = double.NaN,
        double allocKb = double.NaN, string? allocUnavailable = null)
    {
        if (options.Values.TryGetValue("results", out var path))
        {
            var alloc = allocUnavailable is null ? allocKb.ToString("F1", CultureInfo.InvariantCulture) : "n/a\t" + allocUnavailable.Replace('\t', ' ');
            File.AppendAllText(path, string.Create(CultureInfo.InvariantCulture, $"{label}\t{users}\t{rate:F1}\t{p95:F1}\t{cpu:F3}\t{alloc}\n"));
        }
    }
}
