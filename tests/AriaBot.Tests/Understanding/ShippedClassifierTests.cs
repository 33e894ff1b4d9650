using AriaBot.Language;
using AriaBot.Understanding;
using BotRuntime.Recognition;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Testing;

namespace AriaBot.Tests.Understanding;

/// <summary>
/// Issue 22: start-up reads the trained intent models shipped in <c>dialogs/Classifier</c> instead of training them.
/// These tests prove the shipped files are those of today's lines, settings and training code (and rewrite them when
/// <c>ARIABOT_WRITE_MODELS=1</c>: <see cref="ShippedClassifiers.RegenerateCommand"/>), that a loaded model answers
/// exactly as a freshly trained one on every training and held-out line, and that a stale or damaged file is never used.
/// </summary>
public sealed class ShippedClassifierTests
{
    private static readonly Lazy<IntentExamples> Examples = new(() => IntentExamples.LoadValidated(DialogsFolder.DefaultPath));

    // Freshly trained, outside the process cache: what the shipped model must equal.
    private static readonly Lazy<Dictionary<BotCulture, IntentClassifier>> Fresh = new(() =>
        BotCulture.Supported.ToDictionary(c => c, c => IntentClassifier.Train(Understander.TrainingLines(Examples.Value, c), ClassifierSettings.Default)));

    // The shipped files' bytes; written first (to the repository and to this output) when ARIABOT_WRITE_MODELS=1.
    private static readonly Lazy<Dictionary<BotCulture, byte[]>> ShippedFiles = new(() =>
    {
        var rewrite = Environment.GetEnvironmentVariable("ARIABOT_WRITE_MODELS") == "1";
        return BotCulture.Supported.ToDictionary(c => c, c =>
        {
            var path = ClassifierModelFile.PathIn(DialogsFolder.DefaultPath, c);
            if (rewrite)
            {
                var bytes = ClassifierModelFile.Write(Fresh.Value[c], ClassifierModelFile.KeyOf(c, Examples.Value.For(c), ClassifierSettings.Default));
                foreach (var target in new[] { path, ClassifierModelFile.PathIn(Path.Combine(RepositoryRoot(), "dialogs"), c) })
                {
                    Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                    File.WriteAllBytes(target, bytes);
                }
            }

            Assert.True(File.Exists(path), $"{path} is missing. Generate it with: {ShippedClassifiers.RegenerateCommand}");
            return File.ReadAllBytes(path);
        });
    });

    public static TheoryData<string> Locales => ["en-US", "es-ES"];

    private static IntentClassifier ReadShipped(BotCulture culture)
    {
        var key = ClassifierModelFile.KeyOf(culture, Examples.Value.For(culture), ClassifierSettings.Default);
        var model = ClassifierModelFile.TryRead(ShippedFiles.Value[culture], key, out var whyNot);
        Assert.True(model is not null, $"The shipped intent model for {culture.Name} is stale: {whyNot}. Regenerate it with: {ShippedClassifiers.RegenerateCommand}");
        return model!;
    }

    [Theory]
    [MemberData(nameof(Locales))]
    public void The_shipped_model_is_the_one_of_todays_training_lines_and_settings(string locale) =>
        ReadShipped(BotCulture.Resolve(locale));

    [Theory]
    [MemberData(nameof(Locales))]
    public void The_shipped_model_answers_exactly_as_a_freshly_trained_one_on_every_training_and_held_out_line(string locale)
    {
        var culture = BotCulture.Resolve(locale);
        var shipped = ReadShipped(culture);
        var fresh = Fresh.Value[culture];
        var lines = Examples.Value.For(culture).Select(l => l.Text)
            .Concat(Understander.TrainingLines(Examples.Value, culture).Select(l => l.Text))
            .Concat(IntentAccuracyTests.HeldOut(culture).Select(l => l.Text))
            .Concat(["", "blorp zzk", "<PLAN> <NUM>", "ÑANDÚ 1234"])
            .ToList();
        Assert.True(lines.Count > 2_000, $"only {lines.Count} lines");
        Assert.Equal(fresh.Labels, shipped.Labels);
        var differences = new List<string>();
        foreach (var line in lines)
        {
            foreach (var temperature in new[] { 1.0, 0.6 })
            {
                var expected = fresh.Classify(line, temperature);
                var actual = shipped.Classify(line, temperature);
                // Bit for bit: the same intents in the same order with the same doubles.
                if (expected.Count != actual.Count || expected.Zip(actual).Any(p => p.First.Intent != p.Second.Intent
                        || BitConverter.DoubleToInt64Bits(p.First.Score) != BitConverter.DoubleToInt64Bits(p.Second.Score)))
                {
                    differences.Add($"'{line}' at T={temperature}");
                }
            }

            if (fresh.KnowsAnyWord(line) != shipped.KnowsAnyWord(line))
            {
                differences.Add($"'{line}': knows-any-word");
            }
        }

        Assert.True(differences.Count == 0,
            $"The shipped {locale} model answers differently from a freshly trained one on {differences.Count} lines (the training code changed?), e.g. "
            + $"{string.Join("; ", differences.Take(5))}. Regenerate it with: {ShippedClassifiers.RegenerateCommand}");
    }

    [Fact]
    public void The_bot_reads_a_matching_shipped_model_and_trains_nothing()
    {
        using var folder = DialogsCopy.WithExtraLine($"well hello there {Guid.NewGuid():N}");
        var english = BotCulture.Resolve("en-US");
        var examples = IntentExamples.LoadValidated(folder.Path);
        // Written from a model trained here, outside the process cache, so the bot's own training count stays its own.
        var written = IntentClassifier.Train(Understander.TrainingLines(examples, english), ClassifierSettings.Default);
        File.WriteAllBytes(ClassifierModelFile.PathIn(folder.Path, english), ClassifierModelFile.Write(written, ClassifierModelFile.KeyOf(english, examples.For(english), ClassifierSettings.Default)));

        var (understander, logs) = Start(folder.Path);

        Assert.Equal(0, TrainedClassifiers.TrainingsOf(english, examples.For(english), ClassifierSettings.Default));
        Assert.Equal(written.Classify("I want to pay my bill"), understander.ClassifierFor(english).Classify("I want to pay my bill"));
        Assert.DoesNotContain(logs.GetSnapshot(), r => r.Level >= LogLevel.Warning);
    }

    [Fact]
    public void A_stale_shipped_model_is_never_used_the_bot_trains_and_says_so_once()
    {
        // The copy keeps the real shipped model, which is stale for the copy's lines (one line more).
        using var folder = DialogsCopy.WithExtraLine($"top of the morning {Guid.NewGuid():N}");
        var english = BotCulture.Resolve("en-US");
        var examples = IntentExamples.LoadValidated(folder.Path);

        var (first, logs) = Start(folder.Path);
        var (second, _) = Start(folder.Path, logs);

        Assert.Equal(1, TrainedClassifiers.TrainingsOf(english, examples.For(english), ClassifierSettings.Default));
        Assert.Same(first.ClassifierFor(english), second.ClassifierFor(english));
        var fresh = IntentClassifier.Train(Understander.TrainingLines(examples, english), ClassifierSettings.Default);
        Assert.Equal(fresh.Classify("cancel my plan"), first.ClassifierFor(english).Classify("cancel my plan"));
        var stale = Assert.Single(logs.GetSnapshot(), r => r.Level == LogLevel.Warning);
        Assert.Contains("training lines (.lu files) changed", stale.Message, StringComparison.Ordinal);
        Assert.Contains(ShippedClassifiers.RegenerateCommand, stale.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_damaged_or_foreign_model_file_is_refused_with_the_reason()
    {
        var english = BotCulture.Resolve("en-US");
        var key = ClassifierModelFile.KeyOf(english, Examples.Value.For(english), ClassifierSettings.Default);
        var bytes = ShippedFiles.Value[english];

        var flipped = (byte[])bytes.Clone();
        flipped[flipped.Length / 2] ^= 0x40;
        Assert.Null(ClassifierModelFile.TryRead(flipped, key, out var whyFlipped));
        Assert.Contains("damaged", whyFlipped, StringComparison.Ordinal);

        Assert.Null(ClassifierModelFile.TryRead(bytes.AsSpan(0, bytes.Length / 3), key, out var whyTruncated));
        Assert.Contains("damaged", whyTruncated, StringComparison.Ordinal);

        Assert.Null(ClassifierModelFile.TryRead(bytes, key with { Settings = ClassifierSettings.Previous }, out var whySettings));
        Assert.Contains("other classifier settings", whySettings, StringComparison.Ordinal);

        Assert.Null(ClassifierModelFile.TryRead(bytes, key with { Locale = "es-ES" }, out var whyLocale));
        Assert.Contains("model of en-US", whyLocale, StringComparison.Ordinal);
    }

    private static (Understander Understander, FakeLogCollector Logs) Start(string dialogsPath, FakeLogCollector? logs = null)
    {
        logs ??= new FakeLogCollector();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Language:DialogsPath"] = dialogsPath }).Build();
        var services = new ServiceCollection();
        services.AddSingleton<ILoggerFactory>(new LoggerFactory([new FakeLoggerProvider(logs)]));
        services.AddUnderstanding(configuration);
        using var provider = services.BuildServiceProvider();
        return ((Understander)provider.GetRequiredService<IUnderstander>(), logs);
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "AriaBot.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("AriaBot.sln not found above " + AppContext.BaseDirectory);
    }
}

/// <summary>A temporary copy of the output's dialogs folder (shipped models included) with one greeting more in en-US.</summary>
internal sealed class DialogsCopy : IDisposable
{
    private DialogsCopy(string path) => Path = path;

    public string Path { get; }

    public static DialogsCopy WithExtraLine(string greeting)
    {
        var root = Directory.CreateTempSubdirectory("dialogs-copy-").FullName;
        foreach (var file in Directory.EnumerateFiles(DialogsFolder.DefaultPath, "*", SearchOption.AllDirectories))
        {
            var target = System.IO.Path.Combine(root, System.IO.Path.GetRelativePath(DialogsFolder.DefaultPath, file));
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        Directory.CreateDirectory(System.IO.Path.Combine(root, "Extra"));
        File.WriteAllText(System.IO.Path.Combine(root, "Extra", "Extra.en-US.lu"), $"# Greeting\n- {greeting}\n");
        return new DialogsCopy(root);
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
