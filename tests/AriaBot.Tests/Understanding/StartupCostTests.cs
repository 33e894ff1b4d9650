using System.Diagnostics;
using System.Globalization;
using AriaBot.Language;
using AriaBot.Understanding;
using BotRuntime.Recognition;
using Xunit.Abstractions;

namespace AriaBot.Tests.Understanding;

/// <summary>
/// What the language part of start-up costs, stage by stage (issue 22): the <c>.lu</c> and <c>.lg</c> files read and
/// checked, the shipped models read, and — for comparison — training as start-up did before the models were shipped.
/// Stages alternate round by round so the machine's load falls on all alike; CPU is process time, bytes this thread's.
/// Nothing is compared with a budget (the machine is shared): set ARIABOT_PERF_ROUNDS to measure.
/// </summary>
public sealed class StartupCostTests(ITestOutputHelper output)
{
    [SkippableFact]
    [Trait("Category", "Perf")]
    public void Every_language_stage_of_start_up_reports_cpu_and_bytes()
    {
        Skip.IfNot(int.TryParse(Environment.GetEnvironmentVariable("ARIABOT_PERF_ROUNDS"), CultureInfo.InvariantCulture, out var rounds) && rounds > 0,
            "set ARIABOT_PERF_ROUNDS to measure");
        var path = DialogsFolder.DefaultPath;
        var examples = IntentExamples.LoadValidated(path);
        var keys = WordKeyDiscovery.FindAll([typeof(WordKey).Assembly], out _);
        var stages = new (string Name, Func<int> Run)[]
        {
            (".lu read, parsed and checked (IntentExamples)", () => IntentExamples.LoadValidated(path).For(BotCulture.Resolve("en-US")).Count),
            ("word keys found (WordKeyDiscovery)", () => WordKeyDiscovery.FindAll([typeof(WordKey).Assembly], out _).Count),
            (".lg read, parsed and checked (WordsCatalog)", () => WordsCatalog.LoadValidated(path, keys).GetHashCode()),
            ("shipped models read, both locales", () => BotCulture.Supported.Sum(c =>
                ClassifierModelFile.TryRead(File.ReadAllBytes(ClassifierModelFile.PathIn(path, c)), ClassifierModelFile.KeyOf(c, examples.For(c), ClassifierSettings.Default), out _)!.Labels.Count)),
            ("training lines prepared (placeholders), both locales", () => BotCulture.Supported.Sum(c => Understander.TrainingLines(examples, c).Count)),
            ("trained as before (prepared + trained), both locales", () => BotCulture.Supported.Sum(c =>
                IntentClassifier.Train(Understander.TrainingLines(examples, c), ClassifierSettings.Default).Labels.Count)),
        };

        var samples = stages.Select(_ => new List<(double Cpu, long Bytes)>()).ToArray();
        for (var round = 0; round < rounds; round++)
        {
            for (var s = 0; s < stages.Length; s++)
            {
                // Rotated each round, so no stage always runs right after the same one.
                var i = (s + round) % stages.Length;
                var (cpu, bytes) = (Process.GetCurrentProcess().TotalProcessorTime, GC.GetAllocatedBytesForCurrentThread());
                Assert.True(stages[i].Run() > 0, stages[i].Name);
                samples[i].Add(((Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds, GC.GetAllocatedBytesForCurrentThread() - bytes));
            }
        }

        output.WriteLine($"load: {File.ReadAllText("/proc/loadavg").Trim()}; {rounds} rounds, stages rotated; median per stage");
        for (var s = 0; s < stages.Length; s++)
        {
            var cpu = samples[s].Select(x => x.Cpu).Order().ElementAt(samples[s].Count / 2);
            var bytes = samples[s].Select(x => x.Bytes).Order().ElementAt(samples[s].Count / 2);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{stages[s].Name,-55} {cpu,8:F1} ms CPU {bytes / 1024.0 / 1024.0,8:F1} MB"));
        }

        Assert.All(samples, s => Assert.True(s.Sum(x => x.Bytes) > 0, "nothing allocated: the counter was not read"));
    }
}
