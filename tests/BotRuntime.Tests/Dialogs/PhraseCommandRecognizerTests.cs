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

    [Theory]
    [InlineData("Never, mind", GlobalCommands.Cancel)] // punctuation inside counts as a space, as between fillers
    [InlineData("  STOP\t", GlobalCommands.Cancel)]
    [InlineData("¿?", null)]
    [InlineData("   ", null)]
    [InlineData("", null)]
    public void Spacing_case_and_punctuation_do_not_matter(string text, string? command) =>
        Assert.Equal(command, Recognize(new PhraseCommandRecognizer(Phrases, Fillers), text));

    [Fact]
    public void A_message_longer_than_any_command_could_be_is_no_command()
    {
        var recognizer = new PhraseCommandRecognizer(Phrases, Fillers);

        Assert.Null(Recognize(recognizer, string.Join(' ', Enumerable.Repeat("ok", 40)) + " stop"));
        Assert.Null(Recognize(recognizer, new string(' ', 300) + "stop"));
        Assert.Equal(GlobalCommands.Cancel, Recognize(recognizer, string.Join(' ', Enumerable.Repeat("ok", 20)) + " stop"));
    }

    [Theory]
    [InlineData("I would like to change my plan to the premium one please")]
    [InlineData("¿Cuánto debo este mes?")]
    [InlineData("ok thanks")]
    [InlineData("actually cancel my plan")]
    public void A_message_that_is_no_command_allocates_nothing(string text)
    {
        // Every message of every conversation is checked for commands (issue 22): a miss must not cost the turn garbage.
        var recognizer = new PhraseCommandRecognizer(Phrases, Fillers);
        var turn = new TurnContext(Adapter, new Activity { Type = ActivityTypes.Message, Text = text });
        Assert.Null(recognizer.Recognize(turn));

        var before = GC.GetAllocatedBytesForCurrentThread();
        var command = recognizer.Recognize(turn);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Null(command);
        Assert.Equal(0, allocated);
    }
}
