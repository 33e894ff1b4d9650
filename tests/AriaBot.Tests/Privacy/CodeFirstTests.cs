using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;
using AriaBot.Session;
using AriaBot.Tests.Account.EmailChange;
using AriaBot.Tests.Handoff;
using AriaBot.Tests.PasswordReset;
using AriaBot.Tests.Payments;
using AriaBot.Understanding;
using BotRuntime.Schema;
using BotRuntime.Testing;
using Microsoft.Extensions.DependencyInjection;
using static AriaBot.Tests.DirectLineHttp;
using static AriaBot.Tests.Privacy.DirectLineEchoRedactionTests;

namespace AriaBot.Tests.Privacy;

/// <summary>
/// The "code first" rule (Privacy/AwaitedCodeMiddleware): while a password reset or an account e-mail change waits for
/// the code it e-mailed, a message that may carry it — alone, with words around it, led by a command word, split by
/// spaces, with a digit missing — is held back before anything routes it. The code then reaches no understander (nor
/// its store of unsure messages), no transcript, no Direct Line log, no dialog state, no handoff case, no log line and no
/// span, also while the conversation is handed off to a person. A sign-in's own code still reaches the sign-in.
/// </summary>
public sealed class CodeFirstTests
{
    private const string CodeInChat = "Please don't type the code here: enter it on the secure page instead.";

    /// <summary>Every text the understander was given (the classifier and the unsure-message store sit behind it).</summary>
    private sealed class RecordingUnderstander(IUnderstander inner) : IUnderstander
    {
        public ConcurrentQueue<string> Seen { get; } = new();

        public UnderstandingResult Understand(string? text, string? locale, UnderstandingContext? context = null)
        {
            Seen.Enqueue(text ?? string.Empty);
            return inner.Understand(text, locale, context);
        }
    }

    private static Action<IServiceCollection> Recording(Action<RecordingUnderstander> found) => services =>
    {
        var original = services.Last(descriptor => descriptor.ServiceType == typeof(IUnderstander));
        services.AddSingleton<IUnderstander>(sp =>
        {
            var recorder = new RecordingUnderstander((IUnderstander)original.ImplementationFactory!(sp));
            found(recorder);
            return recorder;
        });
    };

    /// <summary>What the customer may type while the code is awaited: each must be held back.</summary>
    private static string[] Variants(string code) =>
    [
        code,
        $"cancel {code}",
        $"help {code}",
        $"{code[..4]} {code[4..]}",
        $"my code is {code}",
        $"{code[..3]} {code[3..6]} {code[6..]}",
        // A typo: a digit missing, and a letter O for a zero.
        code[..7],
        $"{code[..2]}O{code[3..]}",
    ];

    /// <summary>Spans of every source, for the duration of a test (tags, events and names, as an exporter would see them).</summary>
    private sealed class SpanRecorder : IDisposable
    {
        private readonly ActivityListener _listener;
        private readonly ConcurrentQueue<string> _spans = new();

        public SpanRecorder()
        {
            _listener = new ActivityListener
            {
                ShouldListenTo = _ => true,
                Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
                ActivityStopped = span => _spans.Enqueue(span.DisplayName + "|" + string.Join("|", span.TagObjects.Select(tag => $"{tag.Key}={tag.Value}"))
                    + "|" + string.Join("|", span.Events.Select(e => e.Name + string.Join(",", e.Tags.Select(tag => $"{tag.Key}={tag.Value}"))))),
            };
            ActivitySource.AddActivityListener(_listener);
        }

        public string All => string.Join("\n", _spans);

        public void Dispose() => _listener.Dispose();
    }

    private static Task<string> StoredAsync(AssistantTestHost host) => StoredText.AllAsync(host.Storage);

    private static void AssertNowhere(string code, IEnumerable<(string Where, string Text)> places)
    {
        foreach (var (where, text) in places)
        {
            foreach (var variant in Variants(code).Where(variant => variant.Contains(' ', StringComparison.Ordinal)))
            {
                Assert.False(text.Contains(variant, StringComparison.Ordinal), $"\"{variant}\" is in {where}");
            }
            // The code or its typo standing alone (eight digits may occur by chance inside ids and timestamps).
            Assert.False(Regex.IsMatch(text, $"(?<![A-Za-z0-9.:+-])({code}|{code[..7]})(?![A-Za-z0-9])"), $"{where} holds the code");
        }
    }

    [Fact]
    public async Task A_reset_code_typed_in_web_chat_in_any_shape_and_while_handed_off_is_held_back_before_routing_and_stored_nowhere()
    {
        using var spans = new SpanRecorder();
        RecordingUnderstander? understander = null;
        await using var reset = new ResetHarness(AgentConsole.Settings(), Recording(found => understander = found));
        var host = reset.Host;
        var generated = await Json(await SendAsync(host, HttpMethod.Post, "/v3/directline/tokens/generate", AssistantTestHost.DirectLineSecret, new { user = new { id = "dl_code-first", name = "Ana" } }));
        var token = generated.GetProperty("token").GetString()!;
        var conversationId = generated.GetProperty("conversationId").GetString()!;
        await SendAsync(host, HttpMethod.Post, "/v3/directline/conversations", token);

        await ConverseAsync(host, token, conversationId, "I forgot my password");
        Assert.Contains("8-digit code", await ConverseAsync(host, token, conversationId, "alice"), StringComparison.Ordinal);
        await reset.DrainOutboxAsync();
        var code = reset.CodeSentTo("alice@example.com");

        foreach (var typed in Variants(code))
        {
            Assert.StartsWith(CodeInChat, await ConverseAsync(host, token, conversationId, typed), StringComparison.Ordinal);
        }
        // The reset still waits (nothing typed counted as one of its tries) …
        Assert.DoesNotContain(CodeInChat, await ConverseAsync(host, token, conversationId, "is it done?"), StringComparison.Ordinal);
        // … and handed off to a person, the code typed again reaches neither the agent nor the case.
        var handedOff = await ConverseAsync(host, token, conversationId, "talk to a human");
        Assert.True((await host.Storage.ReadPrefixAsync("handoff/active/", 10)).Count > 0, handedOff);
        Assert.StartsWith(CodeInChat, await ConverseAsync(host, token, conversationId, $"my code is {code}"), StringComparison.Ordinal);

        var served = (await ReadAllAsync(host, token, conversationId)).GetRawText();
        Assert.Contains("[removed]", served, StringComparison.Ordinal);
        var stored = await StoredAsync(host);
        Assert.Contains("transcripts/", stored, StringComparison.Ordinal);
        Assert.Contains("handoff/cases/", stored, StringComparison.Ordinal);
        var kept = host.Services.GetRequiredService<LowConfidenceMessages>().Snapshot();
        Assert.NotNull(understander);
        AssertNowhere(code,
        [
            ("the Direct Line log", served),
            ("the store (state, transcripts, handoff cases, Direct Line log)", stored),
            ("the captured log", string.Join("\n", host.Logs.GetSnapshot().Select(Everything))),
            ("the spans", spans.All),
            ("the understander's input", string.Join("\n", understander!.Seen)),
        ]);
        // Nothing with digits reached the understander at all, so nothing of the code is among the unsure messages.
        Assert.DoesNotContain(understander.Seen, text => text.Any(char.IsAsciiDigit));
        Assert.DoesNotContain(kept, message => message.Text.Contains('#', StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_e_mail_change_code_typed_with_a_command_word_is_held_back_and_the_change_still_completes()
    {
        RecordingUnderstander? understander = null;
        await using var change = await EmailChangeHarness.StartAsync(services: Recording(found => understander = found));
        var link = await change.AskAndSendAsync();
        var code = await change.CodeSentToAsync();

        foreach (var typed in new[] { $"cancel {code}", $"help {code}", $"{code[..4]} {code[4..]}", code[..7] })
        {
            Assert.Contains(CodeInChat, PaymentText.Of(await change.Chat.SayAsync(typed)), StringComparison.Ordinal);
        }
        // "cancel …" cancelled nothing: the change goes on once the page has the code.
        Assert.Equal(System.Net.HttpStatusCode.OK, (await EmailChangeHarness.EnterCodeAsync(change.Host.NewBrowser(), link, code)).Status);
        await change.Chat.SayAsync("continue");
        await change.Chat.ClickAsync("Confirm");
        Assert.Equal(EmailChangeHarness.New, change.Bobs.AccountContact.Email);

        Assert.NotNull(understander);
        AssertNowhere(code,
        [
            ("the store", await StoredAsync(change.Host)),
            ("the captured log", string.Join("\n", change.Host.Logs.GetSnapshot().Select(Everything))),
            ("the understander's input", string.Join("\n", understander!.Seen)),
        ]);
    }

    [Fact]
    public async Task With_no_code_awaited_digits_are_routed_as_usual_and_a_pending_sign_in_still_reads_its_own_code()
    {
        RecordingUnderstander? understander = null;
        await using var reset = new ResetHarness(services: Recording(found => understander = found));
        var chat = reset.Host.Conversation();
        var routed = await chat.SayAsync("my code is 48213377");
        Assert.DoesNotContain(AssistantConversation.Texts(routed), text => text.StartsWith(CodeInChat, StringComparison.Ordinal));
        Assert.Contains("my code is 48213377", understander!.Seen);

        // A reset waits (its pending marker stays until the link expires), the customer gives up on it and signs in:
        // the sign-in's 6-digit code goes to the sign-in, not to the reset's rule.
        await reset.AskAsync(chat, "alice");
        await chat.SayAsync("cancel");
        var signedIn = await chat.SignInAsync();
        Assert.Contains(AssistantConversation.Texts(signedIn), text => text.Contains("you're signed in", StringComparison.Ordinal));
        Assert.NotNull(await reset.Host.Bindings.GetAsync(new BindingKey(Channels.Webchat, "convo1", "user1")));
    }
}
