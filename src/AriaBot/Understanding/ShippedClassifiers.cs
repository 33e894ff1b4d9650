using System.Collections.Concurrent;
using BotRuntime.Recognition;
using Microsoft.Extensions.Logging;

namespace AriaBot.Understanding;

/// <summary>
/// Start-up reads the trained models shipped beside the training lines (<c>dialogs/Classifier/Classifier.&lt;locale&gt;.model</c>,
/// copied to the output with the rest of <c>dialogs/</c>) instead of training them (issue 22). A model is used only
/// when it was trained from exactly the lines being served, with the bot's settings and this build's file format;
/// otherwise the bot trains as it always did and logs once, per file, why the shipped model was not used.
/// </summary>
/// <remarks>
/// Regenerate the files after editing a <c>.lu</c> file or the training code: <c>scripts/train-intent-models.sh</c>
/// (ShippedClassifierTests fails with that command while they are stale).
/// </remarks>
internal static partial class ShippedClassifiers
{
    /// <summary>The command that rewrites the shipped models (in the failure of the test that finds them stale, and in the log).</summary>
    public const string RegenerateCommand = "scripts/train-intent-models.sh (then commit dialogs/Classifier)";

    // Files already reported as not used, so a host restarted in-process (or every test host) does not repeat it.
    private static readonly ConcurrentDictionary<(string Path, string LinesHash), bool> Reported = new();

    /// <summary>
    /// Makes the bot's model for every locale of <paramref name="examples"/> ready in <see cref="TrainedClassifiers"/>:
    /// read from <paramref name="dialogsPath"/> when a shipped model matches, trained otherwise.
    /// </summary>
    public static void Load(IntentExamples examples, string dialogsPath, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(examples);
        ArgumentNullException.ThrowIfNull(dialogsPath);
        ArgumentNullException.ThrowIfNull(logger);
        foreach (var culture in BotCulture.Supported)
        {
            var lines = examples.For(culture);
            _ = TrainedClassifiers.For(
                culture,
                lines,
                ClassifierSettings.Default,
                () => Understander.TrainingLines(examples, culture),
                hash => TryRead(ClassifierModelFile.PathIn(dialogsPath, culture), new ClassifierModelKey(culture.Name, hash, ClassifierSettings.Default), logger));
        }
    }

    private static IntentClassifier? TryRead(string path, ClassifierModelKey key, ILogger logger)
    {
        if (!File.Exists(path))
        {
            if (Reported.TryAdd((path, key.LinesHash), true))
            {
                LogMissing(logger, key.Locale, path);
            }

            return null;
        }

        var model = ClassifierModelFile.TryRead(File.ReadAllBytes(path), key, out var whyNot);
        if (model is null && Reported.TryAdd((path, key.LinesHash), true))
        {
            LogStale(logger, key.Locale, path, whyNot ?? "unknown", RegenerateCommand);
        }

        return model;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "No shipped intent model for {Locale} at {Path}: training it at start-up (about a second of CPU)")]
    private static partial void LogMissing(ILogger logger, string locale, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The shipped intent model for {Locale} at {Path} is stale and was not used ({Reason}); training it at start-up instead. Regenerate it with: {Command}")]
    private static partial void LogStale(ILogger logger, string locale, string path, string reason, string command);
}
