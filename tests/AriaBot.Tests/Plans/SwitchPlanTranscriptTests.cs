using System.Runtime.CompilerServices;
using AriaBot.Session;
using BotRuntime.Builder;
using BotRuntime.Schema;
using BotRuntime.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace AriaBot.Tests.Plans;

/// <summary>
/// The switch-plan conversation as a Bot Framework <c>.transcript</c>, replayed against the real assistant: each
/// user activity is sent, each bot activity is compared on type, text, cards and buttons. Values that change from
/// run to run (the preview id, Aria's prorated amounts and periods) are written <c>&lt;any&gt;</c> in the file.
/// </summary>
public sealed class SwitchPlanTranscriptTests
{
    [Theory]
    [InlineData("switch-plan.en-US.transcript")]
    [InlineData("switch-plan.es-ES.transcript")]
    public async Task The_switch_plan_transcript_replays_against_the_assistant(string file)
    {
        await using var host = new AssistantTestHost();
        await host.BindDirectlyAsync(new BindingKey(Channels.Webchat, "convo1", "user1"));
        var chat = host.Conversation();
        var bot = host.Services.GetRequiredService<IBot>();

        await TranscriptReplay.RunAsync(chat.Adapter, bot.OnTurnAsync, TranscriptFile.Read(Path.Combine(Folder(), "Transcripts", file)), file);

        Assert.Equal(13, host.Sandbox.PlanInstances(1000001).Single(i => i.ParentPlanInstanceNo is null).PlanNo);
    }

    private static string Folder([CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;
}
