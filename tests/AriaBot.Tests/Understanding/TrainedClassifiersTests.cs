using AriaBot.Language;
using AriaBot.Understanding;
using BotRuntime.Recognition;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace AriaBot.Tests.Understanding;

/// <summary>
/// Issue 22: the classifier is trained once per process for the same training lines and settings, not once per
/// understander (every test host used to train both locales again). Each test adds a line of its own so its key is
/// new to the process whatever other tests ran first, and counts trainings of that key only.
/// </summary>
public sealed class TrainedClassifiersTests
{
    private static readonly FakeTimeProvider Clock = new(new DateTimeOffset(2026, 11, 25, 10, 0, 0, TimeSpan.Zero));

    /// <summary>The real dialogs plus one greeting nobody else trains on, so the training set is this test's own.</summary>
    private static IntentExamples ExamplesWith(string extraGreeting)
    {
        var problems = new List<LanguageProblem>();
        var files = DialogsFolder.Read(DialogsFolder.DefaultPath, "lu", problems).ToList();
        files.Add(new DialogsFile("Extra", BotCulture.Resolve("en-US"), "Extra/Extra.en-US.lu", $"# Greeting\n- {extraGreeting}\n"));
        var examples = IntentExamples.FromFiles(files, problems);
        Assert.Empty(problems);
        return examples;
    }

    private static int Trainings(IntentExamples examples, string locale) =>
        TrainedClassifiers.TrainingsOf(BotCulture.Resolve(locale), examples.For(BotCulture.Resolve(locale)), ClassifierSettings.Default);

    [Fact]
    public void A_second_understander_of_the_same_lines_reuses_the_trained_model()
    {
        var examples = ExamplesWith($"howdy partner {Guid.NewGuid():N}");
        var first = new Understander(examples, Clock);
        var second = new Understander(examples, Clock);

        foreach (var culture in BotCulture.Supported)
        {
            Assert.Same(first.ClassifierFor(culture), second.ClassifierFor(culture));
            // en-US holds this test's own line: trained here, once. es-ES is the real lines: trained once at most in this
            // process (or read from the shipped model by another test's host first).
            Assert.InRange(Trainings(examples, culture.Name), culture.Name == "en-US" ? 1 : 0, 1);
        }

        Assert.Equal(first.Understand("I want to pay my bill", "en-US").Score, second.Understand("I want to pay my bill", "en-US").Score);
    }

    [Fact]
    public void A_changed_training_line_trains_again_and_only_that_locale()
    {
        var before = ExamplesWith($"good day to you {Guid.NewGuid():N}");
        var after = ExamplesWith($"good day to you {Guid.NewGuid():N}");
        var first = new Understander(before, Clock);
        var second = new Understander(after, Clock);

        var english = BotCulture.Resolve("en-US");
        Assert.NotSame(first.ClassifierFor(english), second.ClassifierFor(english));
        Assert.Equal(1, Trainings(before, "en-US"));
        Assert.Equal(1, Trainings(after, "en-US"));
        // The Spanish lines did not change: both understanders share the Spanish model.
        Assert.Same(first.ClassifierFor(BotCulture.Resolve("es-ES")), second.ClassifierFor(BotCulture.Resolve("es-ES")));
    }

    [Fact]
    public void Other_settings_train_their_own_model()
    {
        var examples = ExamplesWith($"hiya {Guid.NewGuid():N}");
        var settings = ClassifierSettings.Default with { Epochs = ClassifierSettings.Default.Epochs + 1 };
        var standard = new Understander(examples, Clock);
        var other = new Understander(examples, Clock, settings);
        Assert.NotSame(standard.ClassifierFor(BotCulture.Resolve("en-US")), other.ClassifierFor(BotCulture.Resolve("en-US")));
        Assert.Equal(1, TrainedClassifiers.TrainingsOf(BotCulture.Resolve("en-US"), examples.For(BotCulture.Resolve("en-US")), settings));
    }

    [Fact]
    public void Many_hosts_starting_at_once_train_once()
    {
        // A dialogs folder of this test's own (a copy plus one line), read by eight service providers on eight threads.
        var root = Directory.CreateTempSubdirectory("lu-cache-").FullName;
        try
        {
            foreach (var file in Directory.EnumerateFiles(DialogsFolder.DefaultPath, "*", SearchOption.AllDirectories))
            {
                var target = Path.Combine(root, Path.GetRelativePath(DialogsFolder.DefaultPath, file));
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(file, target);
            }

            Directory.CreateDirectory(Path.Combine(root, "Extra"));
            File.WriteAllText(Path.Combine(root, "Extra", "Extra.en-US.lu"), $"# Greeting\n- greetings traveller {Guid.NewGuid():N}\n");
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Language:DialogsPath"] = root }).Build();
            var understanders = new Understander[8];
            Parallel.For(0, understanders.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
            {
                var services = new ServiceCollection();
                services.AddUnderstanding(configuration);
                using var provider = services.BuildServiceProvider();
                understanders[i] = (Understander)provider.GetRequiredService<IUnderstander>();
            });

            var examples = IntentExamples.LoadValidated(root);
            foreach (var culture in BotCulture.Supported)
            {
                Assert.All(understanders, u => Assert.Same(understanders[0].ClassifierFor(culture), u.ClassifierFor(culture)));
            }

            Assert.Equal(1, Trainings(examples, "en-US"));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>A tiny training set of its own (two intents, two lines), so filling the cache costs next to nothing.</summary>
    private static IReadOnlyList<(Intent Intent, string Text)> Tiny(string tag) => [(Intent.Greeting, $"hello {tag}"), (Intent.Goodbye, $"bye {tag}")];

    private static IntentClassifier Ask(IReadOnlyList<(Intent Intent, string Text)> lines) =>
        TrainedClassifiers.For(BotCulture.Resolve("en-US"), lines, ClassifierSettings.Default, () => lines);

    [Fact]
    public void Models_of_other_lines_and_settings_do_not_pile_up()
    {
        // What the cross-validation tools do: many models, each asked for once.
        var sets = Enumerable.Range(0, TrainedClassifiers.RecentCapacity + 4).Select(i => Tiny($"{i}x{Guid.NewGuid():N}")).ToList();
        var models = sets.Select(Ask).ToList();

        Assert.InRange(TrainedClassifiers.Kept.Recent, 0, TrainedClassifiers.RecentCapacity);
        // The newest is still kept; the oldest was let go, so asking for it again trains it again.
        Assert.Same(models[^1], Ask(sets[^1]));
        Assert.Equal(1, TrainedClassifiers.TrainingsOf(BotCulture.Resolve("en-US"), sets[^1], ClassifierSettings.Default));
        Assert.NotSame(models[0], Ask(sets[0]));
        Assert.Equal(2, TrainedClassifiers.TrainingsOf(BotCulture.Resolve("en-US"), sets[0], ClassifierSettings.Default));
    }

    [Fact]
    public void The_bots_own_models_stay_however_many_others_are_trained()
    {
        // The bot's own: read from a shipped model file at start-up (ShippedClassifiers), so pinned.
        using var folder = DialogsCopy.WithExtraLine($"salutations {Guid.NewGuid():N}");
        var english = BotCulture.Resolve("en-US");
        var examples = IntentExamples.LoadValidated(folder.Path);
        var written = IntentClassifier.Train(Understander.TrainingLines(examples, english), ClassifierSettings.Default);
        File.WriteAllBytes(ClassifierModelFile.PathIn(folder.Path, english), ClassifierModelFile.Write(written, ClassifierModelFile.KeyOf(english, examples.For(english), ClassifierSettings.Default)));
        ShippedClassifiers.Load(examples, folder.Path, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        var own = new Understander(examples, Clock).ClassifierFor(english);

        foreach (var i in Enumerable.Range(0, 3 * TrainedClassifiers.RecentCapacity))
        {
            _ = Ask(Tiny($"{i}y{Guid.NewGuid():N}"));
        }

        // A host started now gets the same model without reading or training anything.
        Assert.Same(own, new Understander(examples, Clock).ClassifierFor(english));
        Assert.Same(own, TrainedClassifiers.For(english, examples.For(english), ClassifierSettings.Default, () => throw new InvalidOperationException("trained again")));
        Assert.Equal(0, Trainings(examples, "en-US"));
    }
}
