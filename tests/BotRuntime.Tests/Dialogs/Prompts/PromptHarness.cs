using System.Globalization;
using BotRuntime.Builder;
using BotRuntime.Dialogs;
using BotRuntime.Dialogs.Prompts;
using BotRuntime.Recognition;
using BotRuntime.Schema;
using BotRuntime.Testing;
using Microsoft.Extensions.Time.Testing;

namespace BotRuntime.Tests.Dialogs.Prompts;

/// <summary>Sends a typing indicator at the start of every message turn, as a "bot is thinking" middleware would.</summary>
internal sealed class TypingMiddleware : IMiddleware
{
    public async Task OnTurnAsync(ITurnContext turnContext, NextDelegate next, CancellationToken cancellationToken = default)
    {
        if (turnContext.Activity.IsType(ActivityTypes.Message))
        {
            await turnContext.SendActivityAsync(MessageFactory.Typing(), cancellationToken);
        }
        await next(cancellationToken);
    }
}

/// <summary>A root that asks one prompt and then says what came back ("got …" or "gave up after N").</summary>
internal static class PromptHarness
{
    /// <summary>Wednesday 25 November 2026, 10:00 UTC: "today" for every date test.</summary>
    public static readonly DateTimeOffset Now = new(2026, 11, 25, 10, 0, 0, TimeSpan.Zero);

    public static FakeTimeProvider Clock(DateTimeOffset? start = null)
    {
        var clock = new FakeTimeProvider(start ?? Now);
        clock.SetLocalTimeZone(TimeZoneInfo.Utc);
        return clock;
    }

    public static PromptOptions Options(string prompt = "Question?", string? retry = "Retry?") => new()
    {
        Prompt = MessageFactory.Text(prompt),
        RetryPrompt = retry is null ? null : MessageFactory.Text(retry),
    };

    public static DialogTestClient Client(Dialog prompt, PromptOptions options, string locale = "en-US", bool typing = false, TestAdapterOptions? adapter = null, FakeTimeProvider? clock = null)
    {
        var root = new ComponentDialog("root");
        root.AddDialog(new WaterfallDialog("host")
            .Step("ask", (step, token) => step.PromptAsync(prompt.Id, options, token))
            .Step("show", async (step, token) =>
            {
                await step.Context.SendActivityAsync(Show(step.Result), cancellationToken: token);
                return await step.EndDialogAsync(step.Result, token);
            }));
        root.AddDialog(prompt);
        var baseAdapter = adapter ?? new TestAdapterOptions();
        return new DialogTestClient(root, new DialogTestClientOptions
        {
            Adapter = new TestAdapterOptions
            {
                ChannelId = baseAdapter.ChannelId,
                ConversationType = baseAdapter.ConversationType,
                Locale = locale,
                TimeProvider = clock ?? Clock(),
            },
            Middleware = typing ? [new TypingMiddleware()] : [],
        });
    }

    public static string Show(object? result) => result switch
    {
        PromptTooManyAttempts giveUp => $"gave up after {giveUp.Attempts}",
        FoundChoice choice => $"got {choice.Value}",
        Money money => $"got {money.Amount.ToString(CultureInfo.InvariantCulture)} {money.Currency}",
        DateTimeResult date => $"got {date.Preferred?.Date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? date.Preferred?.Timex}",
        bool yes => yes ? "got yes" : "got no",
        IFormattable number => $"got {number.ToString(null, CultureInfo.InvariantCulture)}",
        _ => $"got {result}",
    };
}
