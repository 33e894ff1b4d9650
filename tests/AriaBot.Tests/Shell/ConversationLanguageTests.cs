using System.Text.Json;
using AriaBot.Shell;
using BotRuntime.Schema;

namespace AriaBot.Tests.Shell;

/// <summary>
/// A conversation speaks the language the customer writes in or asks for, not only the channel's locale
/// (<see cref="ConversationLanguage"/>): a Spanish speaker whose browser says en-US gets answers in Spanish from the
/// first Spanish request on, and can go back with "English", wherever the conversation stands.
/// </summary>
public sealed class ConversationLanguageTests(SharedAssistantHost shared) : IClassFixture<SharedAssistantHost>
{
    private readonly AssistantTestHost _host = shared.Host;

    private string _conversationId = string.Empty;

    private AssistantConversation NewChat(string locale = "en-US")
    {
        _conversationId = SharedAssistantHost.NewConversationId();
        return _host.Conversation(userId: SharedAssistantHost.NewConversationId("user"), conversationId: _conversationId, locale: locale);
    }

    private async Task<string?> StoredLanguageAsync()
    {
        var state = Assert.Single(await _host.Storage.ReadPrefixAsync("", 100_000), row => row.Key.EndsWith($"/conversations/{_conversationId}", StringComparison.Ordinal));
        var shell = state.Value.Document.EnumerateObject().Single(property => property.Name == "Shell").Value;
        return shell.EnumerateObject().SingleOrDefault(property => property.NameEquals("language") || property.NameEquals("Language")).Value is { ValueKind: JsonValueKind.String } language
            ? language.GetString()
            : null;
    }

    private static string All(IEnumerable<Activity> replies) => string.Join("\n", AssistantConversation.Texts(replies));

    [Fact]
    public async Task Spanish_typed_in_an_english_conversation_is_answered_in_spanish_from_then_on()
    {
        var chat = NewChat("en-US");
        await chat.SayAsync("hi");

        var replies = await chat.SayAsync("quiero pagar mi factura");

        Assert.StartsWith("Sigo en español.", All(replies), StringComparison.Ordinal);
        Assert.Contains("iniciar sesión", All(replies), StringComparison.Ordinal);
        Assert.All(replies, reply => Assert.Equal("es-ES", reply.Locale));
        Assert.Equal("es-ES", await StoredLanguageAsync());
        // The browser still says en-US on every message; the conversation keeps Spanish.
        var cancelled = await chat.SayAsync("cancelar");
        Assert.DoesNotContain("Sigo en español", All(cancelled), StringComparison.Ordinal);
        Assert.Contains("¿", All(cancelled), StringComparison.Ordinal);
        Assert.All(cancelled, reply => Assert.Equal("es-ES", reply.Locale));
    }

    [Theory]
    [InlineData("cancel")]
    [InlineData("ok, never mind")]
    public async Task A_command_typed_in_english_still_works_in_a_conversation_that_went_spanish(string command)
    {
        var chat = NewChat("en-US");
        await chat.SayAsync("quiero pagar mi factura");

        var replies = await chat.SayAsync(command);

        // The waiting sign-in ended, answered in the conversation's language (the customer can say "English").
        Assert.DoesNotContain("código de 6 cifras", All(replies), StringComparison.Ordinal);
        Assert.Contains("¿", All(replies), StringComparison.Ordinal);
        Assert.All(replies, reply => Assert.Equal("es-ES", reply.Locale));
    }

    [Fact]
    public async Task English_asked_for_mid_task_switches_back_and_asks_the_waiting_question_again_in_english()
    {
        var chat = NewChat("en-US");
        await chat.SayAsync("quiero pagar mi factura");

        var replies = await chat.SayAsync("English please");

        var texts = AssistantConversation.Texts(replies);
        Assert.Equal("OK, I'll continue in English.", texts[0]);
        Assert.Contains("6-digit code", texts[^1], StringComparison.Ordinal);
        var afterwards = await chat.SayAsync("cancel");
        Assert.All(afterwards, reply => Assert.Equal("en-US", reply.Locale));
        Assert.Contains("Nothing was changed", All(afterwards), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_conversation_can_open_by_asking_for_spanish()
    {
        var chat = NewChat("en-US");

        var replies = await chat.SayAsync("español");

        var texts = AssistantConversation.Texts(replies);
        Assert.Contains("De acuerdo, sigo en español.", texts);
        Assert.Contains(replies, reply => reply.SuggestedActions?.Actions?.Any(action => action.Title == "Cambiar de plan") == true);
    }

    [Fact]
    public async Task A_mixed_or_unknown_line_does_not_change_the_language()
    {
        var chat = NewChat("en-US");
        await chat.SayAsync("hi");

        foreach (var line in new[] { "I want to pagar", "blorp zzk", "factura" })
        {
            var replies = await chat.SayAsync(line);
            Assert.All(replies, reply => Assert.Equal("en-US", reply.Locale));
            Assert.DoesNotContain("español", All(replies), StringComparison.Ordinal);
        }
        Assert.Null(await StoredLanguageAsync());
    }

    [Fact]
    public async Task A_spanish_browser_writing_english_is_answered_in_english()
    {
        var chat = NewChat("es-ES");
        await chat.SayAsync("hola");

        var replies = await chat.SayAsync("I want to pay my bill");

        Assert.StartsWith("I'll continue in English.", All(replies), StringComparison.Ordinal);
        Assert.All(replies, reply => Assert.Equal("en-US", reply.Locale));
    }

    [Fact]
    public async Task Fillers_around_cancel_stop_a_waiting_sign_in()
    {
        var chat = NewChat("en-US");
        await chat.SayAsync("pay my bill");

        var replies = await chat.SayAsync("actually, nevermind");

        Assert.Contains("Nothing was changed", All(replies), StringComparison.Ordinal);
        Assert.DoesNotContain("6-digit code", All(replies), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_channels_own_language_change_wins_over_the_earlier_choice()
    {
        var chat = NewChat("en-US");
        await chat.SayAsync("quiero pagar mi factura");
        await chat.SayAsync("cancelar");

        // The customer picks Spanish, then English, in the page's picker: the channel's locale changes.
        var spanishPicked = chat.Adapter.MakeActivity("ayuda");
        spanishPicked.Locale = "es-ES";
        Assert.All(await chat.SendAsync(spanishPicked), reply => Assert.Equal("es-ES", reply.Locale));
        Assert.Null(await StoredLanguageAsync());
        var englishPicked = chat.Adapter.MakeActivity("help");
        englishPicked.Locale = "en-US";
        var replies = await chat.SendAsync(englishPicked);
        Assert.All(replies, reply => Assert.Equal("en-US", reply.Locale));
        Assert.Contains("Here's what I can do", All(replies), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_pages_language_picker_ends_the_choice_even_when_it_picks_the_locale_the_chat_began_in()
    {
        var chat = NewChat("en-US");
        await chat.SayAsync("quiero pagar mi factura");
        Assert.Equal("es-ES", await StoredLanguageAsync());

        // The page followed the assistant into Spanish; the customer picks English again and writes.
        var picked = chat.Adapter.MakeActivity("cancel");
        picked.ChannelData = JsonSerializer.SerializeToElement(new Dictionary<string, string> { [ConversationLanguageMiddleware.PickedProperty] = "en-US" });
        var replies = await chat.SendAsync(picked);

        Assert.All(replies, reply => Assert.Equal("en-US", reply.Locale));
        Assert.Contains("Nothing was changed", All(replies), StringComparison.Ordinal);
        Assert.Null(await StoredLanguageAsync());
    }
}
