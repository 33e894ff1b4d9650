using BotRuntime.Builder;
using BotRuntime.Dialogs;
using BotRuntime.Schema;
using BotRuntime.Connector;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace BotRuntime.Tests.Dialogs;

/// <summary>Whole-message commands, give or take the fillers people put around them.</summary>
public sealed class PhraseCommandRecognizerTests
{
    private static readonly Dictionary<string, IReadOnlyList<string>> Phrases = new()
    {
        [GlobalCommands.Cancel] = ["cancel", "never mind", "stop"],
        [GlobalCommands.Help] = ["help", "?"],
        [GlobalCommands.Agent] = ["talk to a person"],
    };

    private static readonly string[] Fillers = ["actually", "oh", "ok", "no", "please", "thanks", "thank you", "oh well"];

    private static readonly ChannelAdapter Adapter = new([], new DefaultTurnErrorHandler(NullLogger<DefaultTurnErrorHandler>.Instance), new FakeTimeProvider());

    private static string? Recognize(PhraseCommandRecognizer recognizer, string text) =>
        recognizer.Recognize(new TurnContext(Adapter, new Activity { Type = ActivityTypes.Message, Text = text }));

    [Theory]
    [InlineData("actually, never mind", GlobalCommands.Cancel)]
    [InlineData("Actually... NEVER MIND!", GlobalCommands.Cancel)]
    [InlineData("ok stop", GlobalCommands.Cancel)]
    [InlineData("oh well, actually, cancel please", GlobalCommands.Cancel)]
    [InlineData("cancel, thank you", GlobalCommands.Cancel)]
    [InlineData("help please", GlobalCommands.Help)]
    [InlineData("please, talk to a person", GlobalCommands.Agent)]
    [InlineData("never mind", GlobalCommands.Cancel)]
    [InlineData("?", GlobalCommands.Help)]
    public void A_command_among_fillers_is_the_command(string text, string command) =>
        Assert.Equal(command, Recognize(new PhraseCommandRecognizer(Phrases, Fillers), text));

    [Theory]
    [InlineData("no thanks")] // fillers alone
    [InlineData("please")]
    [InlineData("no")]
    [InlineData("cancel my plan")] // more than the phrase
    [InlineData("actually cancel my plan")]
    [InlineData("please help me with my bill")]
    [InlineData("don't stop")]
    [InlineData("stop it now")]
    public void Anything_more_than_fillers_around_a_phrase_is_no_command(string text) =>
        Assert.Null(Recognize(new PhraseCommandRecognizer(Phrases, Fillers), text));

    [Fact]
    public void Without_fillers_only_the_phrase_itself_is_a_command()
    {
        var plain = new PhraseCommandRecognizer(Phrases);

        Assert.Equal(GlobalCommands.Cancel, Recognize(plain, "Never mind."));
        Assert.Null(Recognize(plain, "actually, never mind"));
    }
}
