using System.Net;
using AriaBot.Session;
using AriaBot.SignIn;
using BotRuntime.Dialogs;
using BotRuntime.Privacy;
using BotRuntime.Schema;
using BotRuntime.State;
using Microsoft.Extensions.DependencyInjection;

namespace AriaBot.Tests.SignIn;

/// <summary>
/// Sign-in by link and code, turn by turn, against the sandbox Aria through the real host.
/// The tests here share one host (<see cref="SharedAssistantHost"/>; xunit runs a class's tests one at a time): each has
/// its own conversation, reads only its own rows, counts sandbox calls only as a before/after difference, and together
/// they post to the sign-in page fewer times than its per-address limit (10 a minute, host-wide). The tests in
/// <see cref="WithOwnHost"/> keep a host each, see there.
/// </summary>
public sealed class SignInFlowTests(SharedAssistantHost shared) : IClassFixture<SharedAssistantHost>
{
    private static readonly BindingKey User1 = new(Channels.Webchat, "convo1", "user1");

    private AssistantTestHost Host => shared.Host;

    private static string NewId(string prefix) => SharedAssistantHost.NewConversationId(prefix);

    [Fact]
    public async Task Codes_are_accepted_as_123456_123_456_and_123_dash_456()
    {
        Assert.Equal("123456", SignInFlowDialog.ReadCode("123456"));
        Assert.Equal("123456", SignInFlowDialog.ReadCode("123 456"));
        Assert.Equal("123456", SignInFlowDialog.ReadCode("123-456"));
        Assert.Equal("123456", SignInFlowDialog.ReadCode("my code is 123 456."));
        Assert.Null(SignInFlowDialog.ReadCode("12345"));
        Assert.Null(SignInFlowDialog.ReadCode("1234567"));
        Assert.Null(SignInFlowDialog.ReadCode("call me on 555 123 4567"));
        Assert.Null(SignInFlowDialog.ReadCode(new string('9', 6) + new string(' ', 50)));

        var chat = Host.Chat(conversationId: NewId("codes"));
        var link = await AssistantTestHost.BeginAsync(chat);
        var code = (await AssistantTestHost.SignInOnPageAsync(Host.Client, link)).Code!;
        var reply = await chat.SendActivityAsync($"{code[..3]}-{code[3..]}");
        Assert.Equal("Thanks, you're signed in.", reply!.Text);
    }

    [Fact]
    public async Task A_used_link_cannot_be_used_again_and_Aria_is_not_asked_again()
    {
        var chat = Host.Chat(conversationId: NewId("used-link"));
        var link = await AssistantTestHost.BeginAsync(chat);
        var form = await AssistantTestHost.GetAsync(Host.Client, link);
        var first = await AssistantTestHost.PostAsync(Host.Client, AssistantTestHost.FormFields(form, "alice", "alice-demo-1"));
        Assert.NotNull(first.Code);

        // The same link opened again (or forwarded to someone else's browser).
        var again = await AssistantTestHost.GetAsync(Host.Client, link);
        Assert.Equal(HttpStatusCode.Gone, again.Status);
        using var otherBrowser = Host.NewBrowser();
        Assert.Equal(HttpStatusCode.Gone, (await AssistantTestHost.GetAsync(otherBrowser, link)).Status);

        // The old form posted again, even with the right password and a valid antiforgery token.
        var calls = Host.Sandbox.Calls.Count("set_session_auth_m");
        var replay = await AssistantTestHost.PostAsync(Host.Client, AssistantTestHost.FormFields(form, "alice", "alice-demo-1"));
        Assert.Equal(HttpStatusCode.Gone, replay.Status);
        Assert.Null(replay.Code);
        Assert.Equal(calls, Host.Sandbox.Calls.Count("set_session_auth_m"));

        // The first code still works in the chat it came from.
        Assert.Equal("Thanks, you're signed in.", (await chat.SendActivityAsync(first.Code))!.Text);
    }

    [Fact]
    public async Task A_code_typed_by_another_chat_user_binds_nobody()
    {
        var asked = new BindingKey(Channels.Webchat, NewId("asked"), "user1");
        var chat = Host.Chat(userId: asked.UserId, conversationId: asked.ConversationId);
        var link = await AssistantTestHost.BeginAsync(chat);
        var code = (await AssistantTestHost.SignInOnPageAsync(Host.Client, link)).Code!;

        var intruder = await AssistantTestHost.SayAsync(chat, code, userId: "user2");
        Assert.Equal("Only the person who asked for this sign-in link can use its code, and only in the chat where they asked for it.", intruder!.Text);
        Assert.Null(await Host.Bindings.GetAsync(asked with { UserId = "user2" }));
        Assert.Null(await Host.Bindings.GetAsync(asked));
        Assert.Contains(code, TurnSecrets.Of(chat.TurnContext!));

        // Nor in another conversation of the same user: the code belongs to the conversation that asked for it.
        var other = asked with { ConversationId = NewId("other") };
        var elsewhere = Host.Chat(userId: other.UserId, conversationId: other.ConversationId);
        var stranger = await elsewhere.SendActivityAsync("sign in");
        AssistantTestHost.LinkIn(stranger);
        Assert.Equal("I don't have a code for you yet. Sign in on the page first, and it'll show you the code.", (await elsewhere.SendActivityAsync(code))!.Text);
        Assert.Null(await Host.Bindings.GetAsync(other));

        Assert.Equal("Thanks, you're signed in.", (await chat.SendActivityAsync(code))!.Text);
        Assert.NotNull(await Host.Bindings.GetAsync(asked));
    }

    [Fact]
    public async Task Text_that_is_not_a_code_gets_a_short_reminder_and_a_code_before_the_page_is_explained()
    {
        var chat = Host.Chat(conversationId: NewId("not-a-code"));
        await AssistantTestHost.BeginAsync(chat);
        var reminder = await chat.SendActivityAsync("what now?");
        Assert.Equal("I'm waiting for the 6-digit code from the sign-in page. Type it here, type \"new link\" if you need another link, or \"cancel\" to stop signing in.", reminder!.Text);
        Assert.Equal(["New link"], reminder.SuggestedActions!.Actions!.Select(a => a.Title!));
        Assert.Equal("I don't have a code for you yet. Sign in on the page first, and it'll show you the code.", (await chat.SendActivityAsync("123456"))!.Text);

        // "new link" replaces the link: the old one no longer opens the page.
        var old = AssistantTestHost.LinkIn(await chat.SendActivityAsync("new link"));
        var newer = AssistantTestHost.LinkIn(await chat.SendActivityAsync("send me a new link"));
        Assert.Equal(HttpStatusCode.Gone, (await AssistantTestHost.GetAsync(Host.Client, old)).Status);
        Assert.Equal(HttpStatusCode.OK, (await AssistantTestHost.GetAsync(Host.Client, newer)).Status);
    }

    [Fact]
    public async Task After_1011_the_check_says_expired_and_sign_in_begins_with_the_expired_wording_then_resumes_with_a_result()
    {
        var customer = new BindingKey(Channels.Webchat, NewId("expired"), "user1");
        var sessionId = await Host.BindDirectlyAsync(customer);
        Host.Sandbox.Write(s => s.Sessions.Single(x => x.SessionId == sessionId).Killed = true);

        SessionCheck? check = null;
        await Host.RunTurnAsync(customer, async turn => check = await Host.AccountSession.CheckAsync(turn, CancellationToken.None));
        Assert.Equal(SessionStatus.Expired, check!.Status);
        Assert.Null(await Host.Bindings.GetAsync(customer));

        // What the shell does: begin the sign-in dialog with the reason, get the result, carry on where it was.
        var chat = Host.Chat(userId: customer.UserId, conversationId: customer.ConversationId, dialog: new ResumingDialog(Host.Services.GetRequiredService<SignInDialog>()));
        var card = await chat.SendActivityAsync("show my balance");
        Assert.Equal("Your session has expired, so please sign in again. I'll pick up where we left off.", card!.Text);
        var code = (await AssistantTestHost.SignInOnPageAsync(Host.Client, AssistantTestHost.LinkIn(card))).Code!;
        var signedIn = await chat.SendActivityAsync(code);
        Assert.Equal("Thanks, you're signed in.", signedIn!.Text);
        Assert.Equal("resumed for account 1000001", chat.GetNextReply()!.Text);
    }

    [Fact]
    public async Task Help_while_waiting_reminds_about_the_code()
    {
        var root = new InterruptibleComponentDialog("root");
        root.AddDialog(Host.Services.GetRequiredService<SignInDialog>());
        var chat = Host.Chat(conversationId: NewId("help"), dialog: root);
        await AssistantTestHost.BeginAsync(chat);
        var texts = Host.Texts(chat, await chat.SendActivityAsync("help"));
        Assert.Equal("I'm waiting for the 6-digit code from the sign-in page. Type it here, type \"new link\" if you need another link, or \"cancel\" to stop signing in.", texts[^1]);
    }

    [Fact]
    public async Task Spanish_conversations_get_Spanish_words_in_chat_and_on_the_page()
    {
        var chat = Host.Chat(conversationId: NewId("es"), locale: "es-ES");
        var card = await chat.SendActivityAsync("quiero cambiar de plan");
        Assert.Equal("Para eso, primero tienes que iniciar sesión. Pulsa el botón para abrir nuestra página segura de inicio de sesión.", card!.Text);
        Assert.Equal("Iniciar sesión", card.Attachments![0].ContentAs<HeroCard>()!.Buttons![0].Title);
        var link = AssistantTestHost.LinkIn(card);

        // The page follows the conversation's language, whatever the browser prefers (a browser of its own: the
        // shared host's client is left as it was).
        using var browser = Host.NewBrowser();
        browser.DefaultRequestHeaders.AcceptLanguage.ParseAdd("en-US");
        var form = await AssistantTestHost.GetAsync(browser, link);
        Assert.Contains("<html lang=\"es-ES\">", form.Text, StringComparison.Ordinal);
        Assert.Contains("Contraseña", form.Text, StringComparison.Ordinal);
        var wrong = await AssistantTestHost.PostAsync(browser, AssistantTestHost.FormFields(form, "alice", "nope"));
        Assert.Contains("El usuario y la contraseña no coinciden. Inténtalo de nuevo.", wrong.Text, StringComparison.Ordinal);
        var codePage = await AssistantTestHost.PostAsync(browser, AssistantTestHost.FormFields(wrong, "alice", "alice-demo-1"));
        Assert.Contains("Tu código para iniciar sesión", codePage.Text, StringComparison.Ordinal);

        var wrongCode = codePage.Code == "000000" ? "111111" : "000000";
        Assert.Equal("Ese código no es correcto. Te quedan 2 intentos.", (await chat.SendActivityAsync(wrongCode))!.Text);
        Assert.Equal("Gracias, ya has iniciado sesión.", (await chat.SendActivityAsync(codePage.Code!))!.Text);
    }

    /// <summary>
    /// A host per test: each moves the clock, counts a sandbox call or session host-wide, or reads the store's sign-in
    /// or binding rows as a whole (and the happy path's conversation is the default one).
    /// </summary>
    public sealed class WithOwnHost
    {
        [Fact]
        public async Task Happy_path_link_page_code_binds_the_session_and_ends_with_the_account_Aria_returned()
        {
            await using var host = new AssistantTestHost();
            var chat = host.Chat();

            var card = await chat.SendActivityAsync("I want to change my plan");
            Assert.Equal("To do that, I need you to sign in first. Tap the button to open our secure sign-in page.", card!.Text);
            var hero = card.Attachments![0].ContentAs<HeroCard>()!;
            Assert.Equal("Sign in to your account", hero.Title);
            Assert.Contains("6-digit code", hero.Text, StringComparison.Ordinal);
            Assert.Contains("10 minutes", hero.Text, StringComparison.Ordinal);
            var link = AssistantTestHost.LinkIn(card);
            Assert.True(link.IsAbsoluteUri);
            Assert.Equal("http://localhost/signin", link.GetLeftPart(UriPartial.Path));
            // At least 128 bits of state: 32 random bytes, base64url.
            Assert.Equal(43, AssistantTestHost.StateOf(link).Length);
            Assert.Equal(DialogTurnStatus.Waiting, chat.DialogTurnResult!.Status);
            // The link opens a page for this conversation: recorders redact it like a code.
            Assert.Contains(link.AbsoluteUri, TurnSecrets.Of(chat.TurnContext!));

            var codePage = await AssistantTestHost.SignInOnPageAsync(host.Client, link);
            Assert.Equal(HttpStatusCode.OK, codePage.Status);
            var code = codePage.Code;
            Assert.NotNull(code);
            Assert.Contains("only works in the chat where you asked to sign in, for the next 5 minutes", codePage.Text, StringComparison.Ordinal);

            var typed = $"{code[..3]} {code[3..]}";
            var reply = await chat.SendActivityAsync(typed);
            Assert.Equal("Thanks, you're signed in.", reply!.Text);
            Assert.Equal(DialogTurnStatus.Complete, chat.DialogTurnResult!.Status);
            Assert.Equal(new SignInResult(1000001, "alice"), chat.DialogTurnResult.Result);
            // The typed code is secret for the turn: transcripts and logs redact it.
            Assert.Contains(typed, TurnSecrets.Of(chat.TurnContext!));
            Assert.Contains(code, TurnSecrets.Of(chat.TurnContext!));
            Assert.DoesNotContain(code, TurnSecrets.Redact(chat.TurnContext!, typed), StringComparison.Ordinal);

            var binding = await host.Bindings.GetAsync(User1);
            Assert.NotNull(binding);
            Assert.Equal(1000001, binding.AccountNo);
            Assert.True(host.IsSessionLive(binding.AriaSessionId));
            SessionCheck? check = null;
            await host.RunTurnAsync(User1, async turn => check = await host.AccountSession.CheckAsync(turn, CancellationToken.None));
            Assert.Equal(SessionCheck.SignedIn(1000001, "alice"), check);
            // Nothing about the sign-in is left lying around.
            Assert.Empty(await host.Storage.ReadPrefixAsync("signin/links/", 10));
            Assert.Empty(await host.Storage.ReadPrefixAsync("signin/pending/", 10));
        }

        [Fact]
        public async Task An_expired_link_shows_a_clear_page_and_the_chat_says_so_and_offers_a_new_link()
        {
            await using var host = new AssistantTestHost();
            var chat = host.Chat();
            var link = await AssistantTestHost.BeginAsync(chat);

            host.Time.Advance(TimeSpan.FromMinutes(10) + TimeSpan.FromSeconds(1));
            var page = await AssistantTestHost.GetAsync(host.Client, link);
            Assert.Equal(HttpStatusCode.Gone, page.Status);
            Assert.Contains("This sign-in link has expired or has already been used. Go back to the chat and ask for a new link.", page.Text, StringComparison.Ordinal);
            Assert.DoesNotContain("<form", page.Html, StringComparison.Ordinal);

            var reply = await chat.SendActivityAsync("hello?");
            Assert.Equal("That sign-in link has expired. Would you like a new one?", reply!.Text);
            Assert.Equal(["Yes", "No"], reply.SuggestedActions!.Actions!.Select(a => a.Title!));

            var fresh = AssistantTestHost.LinkIn(await chat.SendActivityAsync("yes"));
            Assert.NotEqual(link, fresh);
            var code = (await AssistantTestHost.SignInOnPageAsync(host.Client, fresh)).Code!;
            Assert.Equal("Thanks, you're signed in.", (await chat.SendActivityAsync(code))!.Text);
        }

        [Fact]
        public async Task Three_wrong_codes_burn_the_code_kill_the_Aria_session_and_offer_a_new_link()
        {
            await using var host = new AssistantTestHost();
            var chat = host.Chat();
            var link = await AssistantTestHost.BeginAsync(chat);
            var code = (await AssistantTestHost.SignInOnPageAsync(host.Client, link)).Code!;
            var wrong = code == "000000" ? "111111" : "000000";
            var sessionId = host.Sandbox.Read(s => s.Sessions.Last().SessionId);
            Assert.True(host.IsSessionLive(sessionId));

            Assert.Equal("That code isn't right. You have 2 tries left.", (await chat.SendActivityAsync(wrong))!.Text);
            Assert.Equal("That code isn't right. You have 1 try left.", (await chat.SendActivityAsync(wrong))!.Text);
            var burned = await chat.SendActivityAsync(wrong);
            Assert.Equal("That's too many wrong codes, so I've cancelled that sign-in to keep your account safe. Would you like a new link?", burned!.Text);
            Assert.False(host.IsSessionLive(sessionId));
            Assert.Equal(1, host.Sandbox.Calls.Count("kill_session_m"));

            // The right code is worth nothing now.
            Assert.Equal("That sign-in isn't active any more. Would you like a new link?", (await chat.SendActivityAsync(code))!.Text);
            Assert.Null(await host.Bindings.GetAsync(User1));

            var fresh = AssistantTestHost.LinkIn(await chat.SendActivityAsync("yes please"));
            var second = (await AssistantTestHost.SignInOnPageAsync(host.Client, fresh)).Code!;
            Assert.Equal("Thanks, you're signed in.", (await chat.SendActivityAsync(second))!.Text);
        }

        [Fact]
        public async Task A_code_typed_after_five_minutes_has_expired_and_its_session_is_ended()
        {
            await using var host = new AssistantTestHost();
            var chat = host.Chat();
            var link = await AssistantTestHost.BeginAsync(chat);
            var code = (await AssistantTestHost.SignInOnPageAsync(host.Client, link)).Code!;
            var sessionId = host.Sandbox.Read(s => s.Sessions.Last().SessionId);

            host.Time.Advance(TimeSpan.FromMinutes(5));
            Assert.Equal("That code has expired. Would you like a new sign-in link?", (await chat.SendActivityAsync(code))!.Text);
            Assert.False(host.IsSessionLive(sessionId));
            Assert.Null(await host.Bindings.GetAsync(User1));
        }

        [Fact]
        public async Task Declining_a_new_link_ends_the_dialog_without_a_result()
        {
            await using var host = new AssistantTestHost();
            var chat = host.Chat();
            await AssistantTestHost.BeginAsync(chat);
            host.Time.Advance(TimeSpan.FromMinutes(11));
            await chat.SendActivityAsync("hi");
            Assert.Equal("No problem. Just ask me to sign in whenever you're ready.", (await chat.SendActivityAsync("no"))!.Text);
            Assert.Equal(DialogTurnStatus.Complete, chat.DialogTurnResult!.Status);
            Assert.Null(chat.DialogTurnResult.Result);
        }

        [Fact]
        public async Task Already_signed_in_ends_at_once_with_the_existing_result_and_says_nothing()
        {
            await using var host = new AssistantTestHost();
            await host.BindDirectlyAsync(User1, "bob", "bob-demo-1");
            var chat = host.Chat();
            Assert.Null(await chat.SendActivityAsync("sign in"));
            Assert.Equal(DialogTurnStatus.Complete, chat.DialogTurnResult!.Status);
            Assert.Equal(new SignInResult(1000002, "bob"), chat.DialogTurnResult.Result);
            Assert.Empty(await host.Storage.ReadPrefixAsync("signin/links/", 10));
        }

        [Fact]
        public async Task Cancelling_while_waiting_ends_the_session_the_page_opened()
        {
            await using var host = new AssistantTestHost();
            var root = new InterruptibleComponentDialog("root");
            root.AddDialog(host.Services.GetRequiredService<SignInDialog>());
            var chat = host.Chat(dialog: root);
            var link = await AssistantTestHost.BeginAsync(chat);
            var code = (await AssistantTestHost.SignInOnPageAsync(host.Client, link)).Code!;
            var sessionId = host.Sandbox.Read(s => s.Sessions.Last().SessionId);

            await chat.SendActivityAsync("cancel");
            Assert.Equal(DialogTurnStatus.Cancelled, chat.DialogTurnResult!.Status);
            Assert.False(host.IsSessionLive(sessionId));
            Assert.Empty(await host.Storage.ReadPrefixAsync("signin/pending/", 10));
            Assert.NotNull(code);
        }

        [Fact]
        public async Task Group_conversations_never_bind_and_get_no_link()
        {
            await using var host = new AssistantTestHost();
            var teamsGroup = host.Chat(channelId: Channels.Msteams, conversationId: "19:abc@thread.v2", conversationType: "groupChat");
            var reply = await teamsGroup.SendActivityAsync("sign in");
            Assert.Equal("For your security, I can only sign you in in a private chat with me. Send me a direct message and we'll carry on there.", reply!.Text);
            Assert.Null(reply.Attachments);
            Assert.Equal(DialogTurnStatus.Complete, teamsGroup.DialogTurnResult!.Status);
            Assert.Null(teamsGroup.DialogTurnResult.Result);

            var webGroup = host.Chat(conversationId: "group-1", isGroup: true);
            Assert.Null((await webGroup.SendActivityAsync("sign in"))!.Attachments);

            Assert.Empty(await host.Storage.ReadPrefixAsync("signin/", 10));
            Assert.Empty(await host.Storage.ReadPrefixAsync("session-bindings/", 10));
            Assert.Empty(host.Sandbox.Calls.All);
        }
    }

    /// <summary>A stand-in for the shell: a feature that needs the account begins sign-in and resumes afterwards.</summary>
    private sealed class ResumingDialog : ComponentDialog
    {
        public ResumingDialog(SignInDialog signIn)
            : base("feature")
        {
            AddDialog(new WaterfallDialog("featureSteps")
                .Step("signIn", (step, token) => step.BeginDialogAsync(SignInDialog.DialogId, new SignInDialogOptions { Reason = SignInReason.SessionExpired }, token))
                .Step("resume", async (step, token) =>
                {
                    var result = Assert.IsType<SignInResult>(step.Result);
                    await step.Context.SendActivityAsync($"resumed for account {result.AccountNo}", cancellationToken: token);
                    return await step.EndDialogAsync(result, token);
                }));
            AddDialog(signIn);
        }
    }
}
