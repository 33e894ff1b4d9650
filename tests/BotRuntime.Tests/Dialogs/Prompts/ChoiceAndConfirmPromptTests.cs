using BotRuntime.Dialogs.Prompts;
using BotRuntime.Recognition;
using BotRuntime.Schema;
using BotRuntime.Testing;

namespace BotRuntime.Tests.Dialogs.Prompts;

/// <summary>Choice and confirm prompts: matching, strict confirmation, and buttons rendered for each channel.</summary>
public sealed class ChoiceAndConfirmPromptTests
{
    private static PromptOptions Plans(params string[] values)
    {
        var options = PromptHarness.Options("Which plan?", "Please pick a plan.");
        options.Choices = values.Length > 0 ? [.. ChoiceFactory.ToChoices(values)] : [new Choice("Gold Plan", ["premium"]), new Choice("Silver Plan"), new Choice("Bronze Plan")];
        return options;
    }

    [Theory]
    [InlineData("en-US", "Silver Plan", "got Silver Plan")]
    [InlineData("en-US", "premium", "got Gold Plan")]
    [InlineData("en-US", "2", "got Silver Plan")]
    [InlineData("en-US", "the last one", "got Bronze Plan")]
    [InlineData("en-US", "gold", "got Gold Plan")]
    [InlineData("en-US", "bronse", "got Bronze Plan")]
    [InlineData("es-ES", "la segunda", "got Silver Plan")]
    [InlineData("es-ES", "el 3", "got Bronze Plan")]
    [InlineData("es-ES", "plata", "Please pick a plan.")]
    public async Task Choice_prompt_matches_values_synonyms_indexes_ordinals_and_partial_names(string locale, string input, string expected)
    {
        await PromptHarness.Client(new ChoicePrompt("ask"), Plans(), locale).Flow()
            .Send("start").AssertReply("Which plan?")
            .Send(input).AssertReply(expected)
            .StartTestAsync();
    }

    [Fact]
    public async Task Two_equally_good_partial_matches_are_asked_again_with_the_candidates_for_the_validator()
    {
        IReadOnlyList<FoundChoice>? candidates = null;
        var prompt = new ChoicePrompt("ask", (context, token) =>
        {
            candidates = (context.Recognized.Details as ChoiceResult)?.Candidates;
            return Task.FromResult(true);
        });
        var options = Plans("Premium Monthly", "Premium Yearly", "Basic");
        await PromptHarness.Client(prompt, options).Flow()
            .Send("start").AssertReply("Which plan?")
            .Send("premium").AssertReply("Please pick a plan.")
            .StartTestAsync();
        Assert.Equal(["Premium Monthly", "Premium Yearly"], candidates!.Select(c => c.Value).Order());
    }

    [Fact]
    public async Task Choices_are_suggested_actions_on_web_chat_and_again_on_the_retry()
    {
        await PromptHarness.Client(new ChoicePrompt("ask"), Plans("Gold", "Silver"), adapter: new TestAdapterOptions { ChannelId = Channels.Webchat }).Flow()
            .Send("start").AssertReply("Which plan?").AssertSuggestedActions("Gold", "Silver")
            .Send("platinum").AssertReply("Please pick a plan.").AssertSuggestedActions("Gold", "Silver")
            .Send("Gold").AssertReply("got Gold")
            .StartTestAsync();
    }

    public static TheoryData<string, string?, int, ListStyle> Rendering() => new()
    {
        { Channels.Webchat, null, 6, ListStyle.SuggestedAction },
        { Channels.Webchat, null, 7, ListStyle.HeroCard },
        { Channels.Msteams, "personal", 3, ListStyle.SuggestedAction },
        { Channels.Msteams, "personal", 4, ListStyle.HeroCard },
        { Channels.Msteams, "groupChat", 2, ListStyle.HeroCard },
        { Channels.Msteams, "channel", 7, ListStyle.List },
        { Channels.Slack, null, 2, ListStyle.HeroCard },
        { "sms", null, 3, ListStyle.Inline },
        { "sms", null, 4, ListStyle.List },
    };

    [Theory]
    [MemberData(nameof(Rendering))]
    public async Task Auto_style_follows_what_the_channel_can_show(string channel, string? conversationType, int count, ListStyle expected)
    {
        var values = Enumerable.Range(1, count).Select(i => $"Plan {i}").ToArray();
        var adapter = new TestAdapterOptions { ChannelId = channel, ConversationType = conversationType };
        await PromptHarness.Client(new ChoicePrompt("ask"), Plans(values), adapter: adapter).Flow()
            .Send("start")
            .AssertReply(reply => Assert.Equal(expected, StyleOf(reply, count)))
            .StartTestAsync();
    }

    private static ListStyle StyleOf(Activity reply, int count)
    {
        if (reply.SuggestedActions?.Actions is { Count: > 0 } actions)
        {
            Assert.Equal(count, actions.Count);
            Assert.All(actions, a => Assert.Equal(ActionTypes.ImBack, a.Type));
            Assert.Equal("Which plan?", reply.Text);
            return ListStyle.SuggestedAction;
        }
        if (reply.Attachments is [{ ContentType: ContentTypes.HeroCard } attachment])
        {
            var card = attachment.ContentAs<HeroCard>()!;
            Assert.Equal("Which plan?", card.Text);
            Assert.Equal(count, card.Buttons!.Count);
            Assert.Null(reply.Text);
            return ListStyle.HeroCard;
        }
        return reply.Text!.Contains("\n   1. Plan 1", StringComparison.Ordinal) ? ListStyle.List
            : reply.Text.Contains("(1) Plan 1", StringComparison.Ordinal) ? ListStyle.Inline
            : ListStyle.None;
    }

    [Fact]
    public async Task Inline_and_list_styles_number_the_choices_in_the_users_language()
    {
        var inline = Plans("Oro", "Plata", "Bronce");
        inline.Style = ListStyle.Inline;
        await PromptHarness.Client(new ChoicePrompt("ask"), inline, "es-ES").Flow()
            .Send("empezar").AssertReply("Which plan? (1) Oro, (2) Plata, o (3) Bronce")
            .Send("2").AssertReply("got Plata")
            .StartTestAsync();

        var list = Plans("Gold", "Silver");
        list.Style = ListStyle.List;
        await PromptHarness.Client(new ChoicePrompt("ask"), list).Flow()
            .Send("start").AssertReply("Which plan?\n\n   1. Gold\n   2. Silver")
            .StartTestAsync();
    }

    [Fact]
    public async Task Asking_for_suggested_actions_where_the_channel_has_none_still_shows_buttons()
    {
        var options = Plans("Gold", "Silver");
        options.Style = ListStyle.SuggestedAction;
        var adapter = new TestAdapterOptions { ChannelId = Channels.Msteams, ConversationType = "groupChat" };
        await PromptHarness.Client(new ChoicePrompt("ask"), options, adapter: adapter).Flow()
            .Send("start").AssertReply(reply => Assert.Equal(ListStyle.HeroCard, StyleOf(reply, 2)))
            .StartTestAsync();
    }

    [Theory]
    [InlineData("en-US", "Yes", "No", "yes", "got yes")]
    [InlineData("en-US", "Yes", "No", "nope", "got no")]
    [InlineData("en-US", "Yes", "No", "sure, go ahead", "got yes")]
    [InlineData("es-ES", "Sí", "No", "Sí", "got yes")]
    [InlineData("es-ES", "Sí", "No", "de acuerdo", "got yes")]
    [InlineData("es-ES", "Sí", "No", "no, gracias", "got no")]
    public async Task Confirm_prompt_offers_yes_and_no_buttons_in_the_users_language(string locale, string yes, string no, string input, string expected)
    {
        await PromptHarness.Client(new ConfirmPrompt("ask"), PromptHarness.Options("Switch now?"), locale).Flow()
            .Send("start").AssertReply("Switch now?").AssertSuggestedActions(yes, no)
            .Send(input).AssertReply(expected)
            .StartTestAsync();
    }

    [Theory]
    [InlineData("en-US", "yes but 5 seats")]
    [InlineData("en-US", "yes, and also change my email")]
    [InlineData("en-US", "no wait, yes?")]
    [InlineData("es-ES", "sí, pero con 5 asientos")]
    public async Task Strict_confirm_only_takes_a_whole_utterance_yes(string locale, string qualified)
    {
        var strict = new ConfirmPrompt("ask") { Strict = true };
        await PromptHarness.Client(strict, PromptHarness.Options("Pay $50 now?", "Please answer just yes or no."), locale).Flow()
            .Send("start").AssertReply("Pay $50 now?")
            .Send(qualified).AssertReply("Please answer just yes or no.")
            .Send(locale == "es-ES" ? "sí, por favor" : "yes please").AssertReply("got yes")
            .StartTestAsync();

        // The same words are a yes to a normal confirm.
        if (!qualified.Contains("wait", StringComparison.Ordinal))
        {
            await PromptHarness.Client(new ConfirmPrompt("ask"), PromptHarness.Options("Pay $50 now?"), locale).Flow()
                .Send("start").AssertReply("Pay $50 now?")
                .Send(qualified).AssertReply("got yes")
                .StartTestAsync();
        }
    }

    [Fact]
    public async Task Confirm_button_titles_come_from_the_host_while_the_posted_values_stay_recognisable()
    {
        var prompt = new ConfirmPrompt("ask") { ButtonTitles = locale => ("Yes, switch", "No, keep my plan"), Strict = true };
        await PromptHarness.Client(prompt, PromptHarness.Options("Switch to Gold?")).Flow()
            .Send("start")
            .AssertReply(reply =>
            {
                var actions = reply.SuggestedActions!.Actions!;
                Assert.Equal(["Yes, switch", "No, keep my plan"], actions.Select(a => a.Title));
                Assert.Equal(["Yes", "No"], actions.Select(a => a.Value!.Value.GetString()));
            })
            // What Web Chat posts for an imBack is the value.
            .Send("Yes").AssertReply("got yes")
            .StartTestAsync();
    }

    [Fact]
    public async Task Confirm_on_a_channel_without_buttons_is_inline_and_answers_by_number()
    {
        await PromptHarness.Client(new ConfirmPrompt("ask"), PromptHarness.Options("Continue?"), adapter: new TestAdapterOptions { ChannelId = "sms" }).Flow()
            .Send("start").AssertReply("Continue? (1) Yes or (2) No")
            .Send("2").AssertReply("got no")
            .StartTestAsync();
    }
}
