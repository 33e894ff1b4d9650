using BotRuntime.Dialogs;
using BotRuntime.Schema;
using BotRuntime.Testing;

namespace BotRuntime.Tests.Dialogs;

public sealed class InterruptionTests
{
    private static DialogTestClient Client(string locale = "en-US", InterruptionOptions? interruptions = null) =>
        new(SampleDialogs.Root(interruptions: interruptions), new DialogTestClientOptions { Adapter = new TestAdapterOptions { Locale = locale } });

    private static TestFlow ToSeats(DialogTestClient client) => client.Flow()
        .Send("hi").AssertReply("What would you like to do?")
        .Send("switch plan").AssertReply("You're on Silver. Which plan would you like?").AssertSuggestedActions("Gold", "Bronze")
        .Send("gold").AssertReply("How many seats?");

    [Fact]
    public async Task Help_mid_prompt_answers_then_asks_the_same_question_and_the_flow_carries_on()
    {
        await ToSeats(Client())
            .Send("help").AssertReply("Answer the question, or say cancel, start over or agent.").AssertReply("How many seats?").AssertNoReply()
            .Send("5").AssertReply("Switch from Silver to Gold with 5 seats?")
            .Send("yes").AssertReply("Done: Gold, 5 seats.").AssertReply("All done.")
            .StartTestAsync();
    }

    [Fact]
    public async Task Help_does_not_use_up_the_prompts_attempts()
    {
        await ToSeats(Client())
            .Send("lots").AssertReply("Please give a number of seats from 1 to 50.")
            .Send("help").AssertReply(a => a.Text!.StartsWith("Answer", StringComparison.Ordinal), "help").AssertReply("How many seats?")
            .Send("?").AssertReply(a => a.Text!.StartsWith("Answer", StringComparison.Ordinal), "help").AssertReply("How many seats?")
            .Send("99").AssertReply("Please give a number of seats from 1 to 50.")
            .Send("5").AssertReply("Switch from Silver to Gold with 5 seats?")
            .StartTestAsync();
    }

    [Fact]
    public async Task Cancel_mid_prompt_ends_every_dialog_and_the_next_message_starts_afresh()
    {
        var client = Client();
        await ToSeats(client).Send("cancel").AssertReply("Cancelled.").AssertNoReply().StartTestAsync();
        Assert.Equal(DialogTurnStatus.Cancelled, client.DialogTurnResult!.Status);
        Assert.Empty(client.DialogContext!.Stack);

        await client.Flow().Send("hello again").AssertReply("What would you like to do?").StartTestAsync();
    }

    [Fact]
    public async Task Start_over_mid_prompt_begins_the_root_again_in_the_same_turn()
    {
        var client = Client();
        await ToSeats(client)
            .Send("start over").AssertReply("Starting over.").AssertReply("What would you like to do?").AssertNoReply()
            .Send("pay").AssertReply("How much would you like to pay?")
            .StartTestAsync();
        var main = Assert.Single(client.DialogContext!.Stack);
        Assert.Equal("main", main.Id);
    }

    [Fact]
    public async Task Agent_goes_to_the_escalation_seam()
    {
        await ToSeats(Client()).Send("agent").AssertReply("A person will join shortly.").AssertNoReply().StartTestAsync();

        var handedOver = new List<string>();
        var custom = new InterruptionOptions
        {
            Recognizer = SampleDialogs.Interruptions.Recognizer,
            Escalate = async (context, token) =>
            {
                handedOver.Add(context.InnerDc.ActiveDialog!.Id);
                await context.Context.SendActivityAsync(MessageFactory.Event("handoff.initiate"), token);
                return await context.CancelAllAsync(token);
            },
        };
        await ToSeats(Client(interruptions: custom)).Send("agent").AssertReply(a => a.IsType(ActivityTypes.Event) && a.Name == "handoff.initiate", "a handoff event").StartTestAsync();
        Assert.Equal(["switchPlan"], handedOver);
    }

    [Fact]
    public async Task Commands_are_whole_utterances_a_sentence_that_mentions_one_is_an_answer()
    {
        await Client().Flow()
            .Send("hi").AssertReply("What would you like to do?")
            .Send("I need help to switch plan").AssertReply("You're on Silver. Which plan would you like?")
            .StartTestAsync();
    }

    [Fact]
    public async Task Spanish_commands_and_words_come_from_the_host()
    {
        await Client("es-ES").Flow()
            .Send("hola").AssertReply("¿Qué quieres hacer?")
            .Send("cambiar plan").AssertReply("Tienes Silver. ¿Qué plan quieres?")
            .Send("¿Ayuda?").AssertReply("Responde a la pregunta, o di cancelar, empezar de nuevo o agente.").AssertReply("Tienes Silver. ¿Qué plan quieres?")
            .Send("la primera").AssertReply("¿Cuántos puestos?")
            .Send("Cancelar").AssertReply("Cancelado.")
            .StartTestAsync();
    }

    [Fact]
    public async Task A_button_can_post_a_command()
    {
        var agentButton = new Activity { Type = ActivityTypes.Message, Value = System.Text.Json.JsonSerializer.SerializeToElement(new { command = GlobalCommands.Agent }) };
        await ToSeats(Client()).Send(agentButton).AssertReply("A person will join shortly.").StartTestAsync();
    }

    [Fact]
    public async Task A_custom_command_can_be_added_and_resume_the_question()
    {
        var options = new InterruptionOptions
        {
            Recognizer = turn => turn.Activity.Text == "what plan am I on" ? "currentPlan" : PhraseCommandRecognizer.EnglishDefaults.Recognize(turn),
            Handlers = new Dictionary<string, InterruptionHandler>
            {
                ["currentPlan"] = async (context, token) =>
                {
                    await context.Context.SendActivityAsync("You're on Silver.", cancellationToken: token);
                    return await context.ResumeAsync(token);
                },
            },
        };
        await ToSeats(Client(interruptions: options))
            .Send("what plan am I on").AssertReply("You're on Silver.").AssertReply("How many seats?")
            .Send("help").AssertReply("You can answer the question above, or say \"cancel\" to stop, \"start over\" to begin again, or \"agent\" to talk to a person.").AssertReply("How many seats?")
            .StartTestAsync();
    }

    [Fact]
    public async Task A_parent_offers_a_person_when_a_prompt_runs_out_of_attempts()
    {
        await ToSeats(Client())
            .Send("lots").AssertReply("Please give a number of seats from 1 to 50.")
            .Send("100").AssertReply("Please give a number of seats from 1 to 50.")
            .Send("zero").AssertReply("I couldn't get the number of seats. Say agent to talk to a person.").AssertReply("All done.")
            .StartTestAsync();
    }
}
