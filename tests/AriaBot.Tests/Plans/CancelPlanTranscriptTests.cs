using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using AriaBot.Session;
using BotRuntime.Builder;
using BotRuntime.Schema;
using BotRuntime.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace AriaBot.Tests.Plans;

/// <summary>
/// The cancel-plan conversation as a Bot Framework transcript (<c>Transcripts/cancel-plan.en-US.transcript</c>),
/// replayed against the real assistant: the host's bot and middleware, the sandbox Aria, erin signed in beforehand.
/// The clock starts at a fixed instant so that the prorated credits and dates on the card repeat. Only plan changes
/// are switched on, so the menu after the task does not change when other use cases arrive. Preview ids are random
/// by design (a guessed id must never confirm anything), so the replay shows them as "(preview id)"; the customer
/// confirms by typing, as the transcript records.
/// </summary>
public sealed class CancelPlanTranscriptTests : IAsyncLifetime
{
    private const string FileName = "cancel-plan.en-US.transcript";
    private const long Erin = 1000005;

    /// <summary>Wednesday 25 November 2026, 10:00 UTC: erin's bill day is the 10th, so the period has 15 days left of 30.</summary>
    private static readonly DateTimeOffset Start = new(2026, 11, 25, 10, 0, 0, TimeSpan.Zero);

    private readonly AssistantTestHost _host = NewHost();

    private static AssistantTestHost NewHost() => new(new Dictionary<string, string?>
    {
        ["SelfService:Sections:Orders"] = "false",
        ["SelfService:Sections:Payments"] = "false",
        ["SelfService:Sections:PaymentMethods"] = "false",
        ["SelfService:Sections:Contacts"] = "false",
        ["SelfService:Sections:Statements"] = "false",
        ["SelfService:Sections:PasswordReset"] = "false",
    }, start: Start);

    public Task InitializeAsync() => SignInErinAsync(_host);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static async Task SignInErinAsync(AssistantTestHost host)
    {
        // Seeded (and dated) from the fixed clock, whatever the host touched while starting.
        host.Sandbox.Reset();
        await host.BindDirectlyAsync(new BindingKey(Channels.Webchat, "convo1", "user1"), "erin", "erin-demo-1");
    }

    private static AssistantConversation Conversation(AssistantTestHost host)
    {
        var chat = host.Conversation();
        chat.Adapter.Use(new MaskPreviewIds());
        return chat;
    }

    [Fact]
    public async Task The_cancel_plan_transcript_replays_against_the_assistant()
    {
        var path = Path.Combine(SourceFolder(), "Transcripts", FileName);
        if (Environment.GetEnvironmentVariable("TRANSCRIPT_RECORD") == "1")
        {
            await RecordAsync(path);
        }

        var chat = Conversation(_host);
        await TranscriptReplay.RunAsync(chat.Adapter, _host.Services.GetRequiredService<IBot>().OnTurnAsync, TranscriptFile.Read(path), FileName);

        // What the transcript shows happened in Aria: Premium and the three add-ons under it are cancelled, once.
        Assert.All(_host.Sandbox.PlanInstances(Erin), instance => Assert.Equal(-2, instance.StatusCd));
        Assert.Equal(1, _host.Sandbox.Calls.All.Count(call => call.RestCall == "cancel_acct_plan_m" && call.DoWrite == true));
    }

    /// <summary>TRANSCRIPT_RECORD=1 rewrites the file from this script (review the diff before committing it).</summary>
    private static async Task RecordAsync(string path)
    {
        await using var recorder = NewHost();
        await SignInErinAsync(recorder);
        var chat = Conversation(recorder);
        foreach (var text in new[] { "cancel my plan", "Premium", "yes but keep the storage", "yes" })
        {
            await chat.SayAsync(text);
        }
        // Only what a replay compares (and what helps a reader): ids, times and addressing are left out.
        var compact = new JsonArray([.. chat.Adapter.Transcript.Select(activity =>
        {
            var node = JsonSerializer.SerializeToNode(activity, BotJson.Options)!.AsObject();
            foreach (var name in new[] { "id", "timestamp", "localTimestamp", "serviceUrl", "channelId", "conversation", "recipient", "replyToId", "attachmentLayout" })
            {
                node.Remove(name);
            }
            node["from"] = new JsonObject { ["id"] = activity.From?.Id, ["role"] = activity.From?.Role };
            if (activity.From?.Role == RoleTypes.Bot)
            {
                node.Remove("locale");
            }
            return (JsonNode?)node;
        })]);
        await File.WriteAllTextAsync(path, compact.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n");
    }

    private static string SourceFolder([CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;

    /// <summary>Replaces the preview id a button carries with a fixed marker, on the way out to the channel.</summary>
    private sealed class MaskPreviewIds : IMiddleware
    {
        public Task OnTurnAsync(ITurnContext turnContext, NextDelegate next, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(turnContext);
            ArgumentNullException.ThrowIfNull(next);
            turnContext.OnSendActivities((_, activities, send) =>
            {
                foreach (var action in activities.SelectMany(activity => activity.SuggestedActions?.Actions ?? []))
                {
                    if (action.Value is { ValueKind: JsonValueKind.Object } value && JsonNode.Parse(value.GetRawText()) is JsonObject data && data.ContainsKey("previewId"))
                    {
                        data["previewId"] = "(preview id)";
                        action.Value = JsonSerializer.SerializeToElement(data);
                    }
                }
                return send();
            });
            return next(cancellationToken);
        }
    }
}
