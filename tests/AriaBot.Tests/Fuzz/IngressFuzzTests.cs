using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using BotRuntime.Schema;
using BotRuntime.State;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Xunit.Abstractions;

namespace AriaBot.Tests.Fuzz;

/// <summary>
/// Property-based fuzzing of both ingresses of the real assistant (Development, sandbox Aria, memory state): bodies
/// from <see cref="ActivityGenerators"/> are posted to <c>/api/messages</c> and to a Direct Line conversation.
/// Properties, for every body: never a 5xx; a 4xx always carries a JSON body; a well-formed activity gets a 2xx; a
/// refused body leaves the conversation's stored state untouched. After the run, the same conversation still answers
/// a normal "hello" turn. The cases come from a fixed seed (<see cref="DefaultSeed"/>, or <c>ARIABOT_FUZZ_SEED</c>)
/// printed in every failure, so any failure replays exactly; counts are bounded so both runs stay well under a
/// minute on two cores. Every crash found is kept as a named test in <see cref="FuzzRegressionTests"/>.
/// </summary>
public sealed class IngressFuzzTests(ITestOutputHelper output)
{
    public const ulong DefaultSeed = 20261206;
    private const int ApiMessagesCases = 150;
    private const int DirectLineCases = 80;

    /// <summary>
    /// The run's time bound (<c>ARIABOT_FUZZ_SECONDS</c>, default 45 s per ingress; <c>./test.sh</c> sets it): past it no
    /// new case starts, and the output says how many ran. <c>ARIABOT_FUZZ_CASES</c> asks for more cases than the default
    /// for a longer local run.
    /// </summary>
    private static TimeSpan Budget => TimeSpan.FromSeconds(PositiveSetting("ARIABOT_FUZZ_SECONDS") ?? 45);

    private static int Cases(int byDefault) => PositiveSetting("ARIABOT_FUZZ_CASES") ?? byDefault;

    private static int? PositiveSetting(string name) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0 ? value : null;

    private static ulong Seed =>
        ulong.TryParse(Environment.GetEnvironmentVariable("ARIABOT_FUZZ_SEED"), NumberStyles.None, CultureInfo.InvariantCulture, out var seed) ? seed : DefaultSeed;

    private static readonly Dictionary<string, string?> Settings = new()
    {
        // The limits are not under test here, and a 429 would hide what a body does.
        ["DirectLine:MaxPostsPerWindow"] = "100000",
        ["DirectLine:MaxReadsPerWindow"] = "100000",
    };

    [Fact]
    public async Task Api_messages_never_fails_on_any_body_and_the_conversation_survives()
    {
        await using var host = new AssistantTestHost(Settings);
        var api = new Uri("/api/messages", UriKind.Relative);
        const string conversation = "fuzz-api";

        async Task<HttpResponseMessage> PostAsync(byte[] body)
        {
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            return await host.Client.PostAsync(api, content);
        }

        await HelloAsync(PostAsync, "test", conversation);
        await RunAsync(host, ActivityGenerators.Body("test", conversation), Cases(ApiMessagesCases), "test", conversation, PostAsync);
        await HelloAsync(PostAsync, "test", conversation);
    }

    [Fact]
    public async Task Direct_line_posts_never_fail_on_any_body_and_the_conversation_survives()
    {
        await using var host = new AssistantTestHost(Settings);
        using var start = new HttpRequestMessage(HttpMethod.Post, new Uri("/v3/directline/conversations", UriKind.Relative));
        start.Headers.Authorization = new AuthenticationHeaderValue("Bearer", AssistantTestHost.DirectLineSecret);
        var started = JsonDocument.Parse(await (await host.Client.SendAsync(start)).Content.ReadAsStringAsync()).RootElement;
        var conversation = started.GetProperty("conversationId").GetString()!;
        var token = started.GetProperty("token").GetString()!;
        var activities = new Uri($"/v3/directline/conversations/{conversation}/activities", UriKind.Relative);

        async Task<HttpResponseMessage> PostAsync(byte[] body)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, activities) { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            return await host.Client.SendAsync(request);
        }

        await RunAsync(host, ActivityGenerators.Body(Channels.DirectLine, conversation), Cases(DirectLineCases), Channels.DirectLine, conversation, PostAsync);

        // A normal turn afterwards: posted, and the bot answers it in the conversation's log.
        var posted = await PostAsync(Encoding.UTF8.GetBytes("""{"type":"message","from":{"id":"x"},"text":"hello"}"""));
        Assert.Equal(200, (int)posted.StatusCode);
        var id = JsonDocument.Parse(await posted.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString();
        using var read = new HttpRequestMessage(HttpMethod.Get, activities);
        read.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var log = JsonDocument.Parse(await (await host.Client.SendAsync(read)).Content.ReadAsStringAsync()).RootElement.GetProperty("activities");
        Assert.Contains(log.EnumerateArray(), activity => activity.TryGetProperty("replyToId", out var replyTo) && replyTo.GetString() == id);
    }

    /// <summary>
    /// The pure part, with FsCheck's own runner (and shrinking): the edge check never throws, and what it accepts has
    /// no null list entries and no control character in any id.
    /// </summary>
    [Property(MaxTest = 400, Replay = "(20261206,1013904223)", Arbitrary = [typeof(FuzzArbitraries)])]
    public bool The_edge_check_never_throws_and_what_it_accepts_is_safe_to_use(FuzzBody body)
    {
        var read = ActivityValidator.Read(body.Bytes);
        if (!read.IsValid)
        {
            return read.Errors.Count > 0 && read.Activity is null;
        }
        var activity = read.Activity!;
        string?[] ids = [activity.ChannelId, activity.Conversation?.Id, activity.From?.Id, activity.Recipient?.Id, activity.Id, .. (activity.MembersAdded ?? []).Select(m => m.Id)];
        return (activity.Attachments ?? []).All(a => a is not null)
            && (activity.Entities ?? []).All(e => e is not null)
            && (activity.MembersAdded ?? []).All(m => m is not null && !string.IsNullOrWhiteSpace(m.Id))
            && (activity.MembersRemoved ?? []).All(m => m is not null && !string.IsNullOrWhiteSpace(m.Id))
            && (activity.SuggestedActions?.Actions ?? []).All(a => a is not null)
            && ids.All(id => id is null || !id.Any(ActivityValidator.IsControl));
    }

    private async Task HelloAsync(Func<byte[], Task<HttpResponseMessage>> post, string channel, string conversation)
    {
        var hello = $$"""{"type":"message","id":"hello-{{Guid.NewGuid():N}}","channelId":"{{channel}}","serviceUrl":"https://channel.example.com/","from":{"id":"user-1"},"recipient":{"id":"bot"},"conversation":{"id":"{{conversation}}"},"text":"hello","locale":"en-US","deliveryMode":"expectReplies"}""";
        var response = await post(Encoding.UTF8.GetBytes(hello));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"'hello' got {(int)response.StatusCode}: {body}");
        var replies = JsonDocument.Parse(body).RootElement.GetProperty("activities");
        Assert.True(replies.GetArrayLength() > 0, "The bot said nothing to 'hello'.");
        output.WriteLine($"hello → {string.Join(" | ", replies.EnumerateArray().Select(r => r.TryGetProperty("text", out var text) ? text.GetString() : r.GetProperty("type").GetString()))}");
    }

    private async Task RunAsync(AssistantTestHost host, Gen<FuzzBody> generator, int count, string channel, string conversation, Func<byte[], Task<HttpResponseMessage>> post)
    {
        var seed = Seed;
        var cases = ActivityGenerators.Sample(generator, seed, count);
        output.WriteLine($"seed {seed} (replay: ARIABOT_FUZZ_SEED={seed}), {cases.Length} cases: {string.Join(", ", cases.GroupBy(c => c.Kind).Select(g => $"{g.Count()} {g.Key}"))}");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        for (var index = 0; index < cases.Length; index++)
        {
            if (clock.Elapsed > Budget)
            {
                output.WriteLine($"time bound {Budget} reached after {index} of {cases.Length} cases; the rest did not run");
                break;
            }
            var body = cases[index];
            var before = await StateAsync(host.Storage, channel, conversation);
            HttpResponseMessage response;
            try
            {
                response = await post(body.Bytes);
            }
            catch (Exception exception)
            {
                throw new Xunit.Sdk.XunitException($"Case {index} crashed the host (seed {seed}; replay with ARIABOT_FUZZ_SEED={seed}): {exception}\n{body}");
            }
            var status = (int)response.StatusCode;
            var text = await response.Content.ReadAsStringAsync();
            string Where() => $"Case {index} (seed {seed}; replay with ARIABOT_FUZZ_SEED={seed}) got {status} {text}\nfor {body}";

            // Bot Framework's answer to an invoke no handler took is 501; that is the protocol, not a failure.
            var unhandledInvoke = status == 501 && InvokeOf(body);
            Assert.True(status < 500 || unhandledInvoke, $"5xx: {Where()}");
            if (status is >= 400 and < 500)
            {
                Assert.True(IsJson(text), $"4xx without a JSON body: {Where()}");
                Assert.True(before.SequenceEqual(await StateAsync(host.Storage, channel, conversation)), $"A refused body changed the conversation's state: {Where()}");
            }
            if (body.MeantValid)
            {
                Assert.True(status is >= 200 and < 300, $"A well-formed activity was refused: {Where()}");
            }
        }
    }

    private static bool InvokeOf(FuzzBody body)
    {
        try
        {
            return JsonDocument.Parse(body.Bytes).RootElement.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String && type.GetString() == ActivityTypes.Invoke;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static bool IsJson(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.ValueKind == JsonValueKind.Object;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>The conversation's stored state (conversation and per-user), as key → eTag.</summary>
    private static async Task<List<(string Key, string ETag)>> StateAsync(IStorage storage, string channel, string conversation) =>
        [.. (await storage.ReadPrefixAsync($"{channel}/conversations/{conversation}", 1000)).Select(item => (item.Key, item.Value.ETag))];
}

/// <summary>Arbitrary bodies for FsCheck's runner: every kind, in a conversation of the test channel.</summary>
public static class FuzzArbitraries
{
    public static Arbitrary<FuzzBody> Bodies() => Arb.From(ActivityGenerators.Body("test", "fuzz-pure"));
}
