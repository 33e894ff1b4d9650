using BotRuntime.Schema;
using BotRuntime.Testing;

namespace BotRuntime.Tests.Dialogs;

public sealed class TranscriptTests
{
    private static string PathOf(string name) => Path.Combine(AppContext.BaseDirectory, "Dialogs", "Transcripts", name);

    private static DialogTestClient Client(TestAdapterOptions? adapter = null) =>
        new(SampleDialogs.Root(), new DialogTestClientOptions { Adapter = adapter ?? new TestAdapterOptions() });

    [Fact]
    public async Task The_switch_plan_transcript_replays_on_web_chat_rules()
    {
        var client = Client();
        await client.Flow().Test(TranscriptFile.Read(PathOf("switch-plan.en-US.transcript")), "switch-plan.en-US.transcript").StartTestAsync();
    }

    [Fact]
    public async Task The_spanish_teams_group_chat_transcript_replays_with_hero_cards()
    {
        var client = Client(new TestAdapterOptions { ChannelId = Channels.Msteams, ConversationType = "groupChat" });
        await TranscriptReplay.RunAsync(client.Adapter, client.RunTurnAsync, TranscriptFile.Read(PathOf("teams-group-payment.es-ES.transcript")), "teams-group-payment");
    }

    [Fact]
    public async Task A_different_reply_names_the_activity_the_turn_and_the_field()
    {
        var transcript = TranscriptFile.Read(PathOf("switch-plan.en-US.transcript")).ToList();
        transcript[5].Text = "How many licences?";

        var client = Client();
        var error = await Assert.ThrowsAsync<TestFlowException>(() => TranscriptReplay.RunAsync(client.Adapter, client.RunTurnAsync, transcript, "edited"));
        Assert.Equal(
            "edited, activity #6 (bot reply 1 of turn 3, after the user sent message \"the first one\"): text: expected \"How many licences?\", actual \"How many seats?\"",
            error.Message);
    }

    [Fact]
    public async Task Differences_in_buttons_and_cards_are_reported_by_path()
    {
        var transcript = TranscriptFile.Read(PathOf("switch-plan.en-US.transcript")).ToList();
        transcript[3].SuggestedActions!.Actions![1].Title = "Platinum";
        var client = Client();
        var error = await Assert.ThrowsAsync<TestFlowException>(() => TranscriptReplay.RunAsync(client.Adapter, client.RunTurnAsync, transcript, "buttons"));
        Assert.Equal("buttons, activity #4 (bot reply 1 of turn 2, after the user sent message \"Switch plan\"): suggestedActions.actions[1].title: expected \"Platinum\", actual \"Bronze\"", error.Message);

        var spanish = TranscriptFile.Read(PathOf("teams-group-payment.es-ES.transcript")).ToList();
        spanish[1].Attachments![0] = new HeroCard { Text = "¿Qué quieres hacer?", Buttons = [CardAction.ImBack("Switch plan"), CardAction.ImBack("Pagar", "Pay")] }.ToAttachment();
        var teams = Client(new TestAdapterOptions { ChannelId = Channels.Msteams, ConversationType = "groupChat" });
        error = await Assert.ThrowsAsync<TestFlowException>(() => TranscriptReplay.RunAsync(teams.Adapter, teams.RunTurnAsync, spanish, "card"));
        Assert.EndsWith("attachments[0].content.buttons[1].title: expected \"Pagar\", actual \"Pay\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_and_extra_replies_are_reported()
    {
        var transcript = TranscriptFile.Read(PathOf("switch-plan.en-US.transcript")).ToList();
        var withoutHelpRepeat = transcript.Where((_, i) => i != 8).ToList();
        var client = Client();
        var extra = await Assert.ThrowsAsync<TestFlowException>(() => TranscriptReplay.RunAsync(client.Adapter, client.RunTurnAsync, withoutHelpRepeat, "short"));
        Assert.Equal("short, before activity #9: turn 4 (after the user sent message \"help\") has an extra bot reply not in the transcript: message \"How many seats?\"", extra.Message);

        var longer = transcript.Append(new Activity { Type = ActivityTypes.Message, From = new ChannelAccount { Role = RoleTypes.Bot }, Text = "Anything else?" }).ToList();
        client = Client();
        var missing = await Assert.ThrowsAsync<TestFlowException>(() => TranscriptReplay.RunAsync(client.Adapter, client.RunTurnAsync, longer, "long"));
        Assert.Equal("long, activity #17 (bot reply 3 of turn 7, after the user sent message \"Yes\"): expected message \"Anything else?\", but the bot sent nothing more", missing.Message);
    }

    [Fact]
    public async Task A_recorded_conversation_can_be_written_and_replayed()
    {
        var recorder = Client();
        await recorder.Flow()
            .Send("hi").AssertReply("What would you like to do?")
            .Send("pay").AssertReply("How much would you like to pay?")
            .Send("$20").AssertReply("Paying 20 USD.").AssertReply("All done.")
            .StartTestAsync();
        var file = Path.Combine(Path.GetTempPath(), $"recorded-{Guid.NewGuid():N}.transcript");
        try
        {
            TranscriptFile.Write(file, recorder.Adapter.Transcript);
            var replayer = Client();
            await replayer.Flow().Test(TranscriptFile.Read(file)).StartTestAsync();
        }
        finally
        {
            File.Delete(file);
        }
    }
}
