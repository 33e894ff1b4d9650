using BotRuntime.Dialogs;
using BotRuntime.Dialogs.Prompts;
using BotRuntime.Schema;
using BotRuntime.Testing;

namespace BotRuntime.Tests.Dialogs.Prompts;

/// <summary>What every prompt does around recognition: options, input hints, non-message activities, giving up, re-asking.</summary>
public sealed class PromptLifecycleTests
{
    [Fact]
    public async Task Activities_other_than_messages_are_not_attempts()
    {
        var options = PromptHarness.Options();
        options.MaxAttempts = 1;
        await PromptHarness.Client(new NumberPrompt<int>("ask"), options).Flow()
            .Send("start").AssertReply("Question?")
            .Send(new Activity { Type = ActivityTypes.Typing }).AssertNoReply()
            .Send(new Activity { Type = ActivityTypes.Event, Name = "webchat/join" }).AssertNoReply()
            .Send("4").AssertReply("got 4")
            .StartTestAsync();
    }

    [Fact]
    public async Task Giving_up_can_say_something_before_the_parent_resumes()
    {
        var options = PromptHarness.Options();
        options.MaxAttempts = 1;
        options.TooManyAttemptsMessage = MessageFactory.Text("Let's leave that for now.");
        await PromptHarness.Client(new EmailPrompt("ask"), options).Flow()
            .Send("start").AssertReply("Question?")
            .Send("no idea").AssertReply("Let's leave that for now.").AssertReply("gave up after 1").AssertNoReply()
            .StartTestAsync();
    }

    [Fact]
    public async Task Without_a_retry_prompt_the_question_is_asked_again()
    {
        await PromptHarness.Client(new NumberPrompt<int>("ask"), PromptHarness.Options(retry: null)).Flow()
            .Send("start").AssertReply("Question?")
            .Send("nope").AssertReply("Question?")
            .StartTestAsync();
    }

    [Fact]
    public async Task The_stored_prompt_is_never_changed_by_sending_it_and_an_ignoring_input_hint_is_kept()
    {
        var options = PromptHarness.Options();
        options.Prompt!.InputHint = InputHints.IgnoringInput;
        var original = BotJson.Serialize(options.Prompt);
        await PromptHarness.Client(new TextPrompt("ask"), options).Flow()
            .Send("start").AssertReply(a => a.InputHint == InputHints.IgnoringInput, "the hint is kept")
            .StartTestAsync();
        Assert.Equal(original, BotJson.Serialize(options.Prompt));
    }

    [Fact]
    public async Task A_prompt_needs_prompt_options_and_a_choice_prompt_needs_choices()
    {
        var root = new WaterfallDialog("root").Step("ask", (step, token) => step.BeginDialogAsync("ask", "not options", token));
        var set = new ComponentDialog("c");
        set.AddDialog(root).AddDialog(new TextPrompt("ask"));
        await Assert.ThrowsAsync<ArgumentException>(() => new DialogTestClient(set).SendActivityAsync("go"));

        await Assert.ThrowsAsync<ArgumentException>(() => PromptHarness.Client(new ChoicePrompt("ask"), PromptHarness.Options()).SendActivityAsync("go"));
    }

    [Fact]
    public async Task A_prompt_resumed_after_a_dialog_above_it_ended_asks_again()
    {
        // An interruption that runs a little dialog of its own on top of the waiting prompt.
        var component = new InterruptibleComponentDialog("root", new InterruptionOptions
        {
            Recognizer = turn => turn.Activity.Text == "feedback" ? "feedback" : null,
            Handlers = new Dictionary<string, InterruptionHandler> { ["feedback"] = (context, token) => context.InnerDc.BeginDialogAsync("feedback", null, token) },
        });
        component.AddDialog(new WaterfallDialog("host")
            .Step("ask", (step, token) => step.PromptAsync("ask", PromptHarness.Options("Seats?"), token))
            .Step("show", async (step, token) =>
            {
                await step.Context.SendActivityAsync(PromptHarness.Show(step.Result), cancellationToken: token);
                return await step.EndDialogAsync(null, token);
            }));
        component.AddDialog(new NumberPrompt<int>("ask"));
        component.AddDialog(new TextPrompt("comment"));
        component.AddDialog(new WaterfallDialog("feedback")
            .Step("ask", (step, token) => step.PromptAsync("comment", PromptHarness.Options("Your feedback?"), token))
            .Step("thank", async (step, token) =>
            {
                await step.Context.SendActivityAsync("Thanks!", cancellationToken: token);
                return await step.EndDialogAsync(null, token);
            }));

        await new DialogTestClient(component).Flow()
            .Send("start").AssertReply("Seats?")
            .Send("feedback").AssertReply("Your feedback?")
            .Send("all good").AssertReply("Thanks!").AssertReply("Seats?").AssertNoReply()
            .Send("2").AssertReply("got 2")
            .StartTestAsync();
    }
}
