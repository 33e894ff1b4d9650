using AriaBot.Language;
using AriaBot.Understanding;
using BotRuntime.Recognition;

namespace AriaBot.Tests.Understanding;

public sealed class IntentExamplesTests
{
    private static string AllIntents(Func<Intent, string> utterance) =>
        string.Join('\n', Intents.Trainable.Select(i => $"# {i}\n- {utterance(i)}"));

    private static List<LanguageProblem> Check(string english, string spanish)
    {
        var problems = new List<LanguageProblem>();
        IntentExamples.FromFiles(
            [
                new DialogsFile("Intents", BotCulture.EnglishUS, "Intents/Intents.en-US.lu", english),
                new DialogsFile("Intents", BotCulture.SpanishSpain, "Intents/Intents.es-ES.lu", spanish),
            ],
            problems,
            minimumPerIntent: 1);
        return problems;
    }

    [Fact]
    public void Complete_examples_are_accepted()
    {
        Assert.Empty(Check(AllIntents(i => "en " + i), AllIntents(i => "es " + i)));
    }

    [Fact]
    public void Unknown_intents_are_reported()
    {
        var problems = Check(AllIntents(i => "en " + i) + "\n# BookFlight\n- fly me to Rome", AllIntents(i => "es " + i));
        Assert.Contains("'BookFlight' is not an intent", Assert.Single(problems).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_intents_in_a_locale_are_reported()
    {
        var spanish = string.Join('\n', Intents.Trainable.Where(i => i != Intent.Greeting).Select(i => $"# {i}\n- es {i}"));
        var problem = Assert.Single(Check(AllIntents(i => "en " + i), spanish));
        Assert.Equal("Intents/Intents.es-ES.lu", problem.Source.Replace("dialogs/", string.Empty, StringComparison.Ordinal));
        Assert.Contains("Greeting has 0 example(s)", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_same_utterance_under_two_intents_is_a_contradiction()
    {
        var english = AllIntents(i => "en " + i) + "\n# Cancel\n- stop it\n# CancelPlan\n- Stop it!";
        var problem = Assert.Single(Check(english, AllIntents(i => "es " + i)));
        Assert.Contains("also an example of Cancel", problem.Message, StringComparison.Ordinal);
    }
}
