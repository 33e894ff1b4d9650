using System.Net;
using System.Text;

namespace AriaBot.Tests.Notifications;

/// <summary>
/// <c>POST /api/aria/events</c>: who may post (the auth_key, HTTPS, the allow-list), what is refused with a reason and
/// queues nothing, and that a redelivered event (same transaction_id) is acknowledged without being queued again.
/// </summary>
public sealed class AriaEventsReceiverTests : IAsyncLifetime
{
    private AssistantTestHost _host = null!;

    public Task InitializeAsync()
    {
        _host = new AssistantTestHost();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private async Task<int> MarkersAsync() => (await _host.Storage.ReadPrefixAsync("notifications/events/", 100)).Count;

    [Fact]
    public async Task An_event_is_queued_once_and_its_replay_is_acknowledged_without_queuing_again()
    {
        var xml = AriaEvents.Xml("tx-replay-1", 1001, [714]);

        var first = await AriaEvents.PostXmlAsync(_host, xml);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("queued", (await AriaEvents.BodyAsync(first)).GetProperty("status").GetString());

        var replay = await AriaEvents.PostXmlAsync(_host, xml);
        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        Assert.Equal("duplicate", (await AriaEvents.BodyAsync(replay)).GetProperty("status").GetString());

        Assert.Equal(1, await MarkersAsync());
        Assert.Single(_host.Logs.GetSnapshot(), log => log.Message.Contains("tx-replay-1", StringComparison.Ordinal) && log.Message.Contains("queued", StringComparison.Ordinal) && !log.Message.Contains("nothing queued", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_wrong_auth_key_is_401_and_queues_nothing()
    {
        var response = await AriaEvents.PostXmlAsync(_host, AriaEvents.Xml("tx-wrong-key", 1001, [714], authKey: "not-the-key"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("auth_key", (await AriaEvents.BodyAsync(response)).GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, await MarkersAsync());
        Assert.Empty(await _host.Storage.ReadPrefixAsync("outbox/jobs/", 10));
    }

    [Theory]
    [InlineData("<apf2doc><request><transaction_id>x", "well-formed")]
    [InlineData("<order><x/></order>", "apf2doc")]
    [InlineData("<!DOCTYPE apf2doc [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><apf2doc>&x;</apf2doc>", "well-formed")]
    [InlineData("<apf2doc><request><transaction_id>t1</transaction_id><class>A</class></request></apf2doc>", "auth_key")]
    public async Task A_malformed_document_is_400_with_a_reason_and_queues_nothing(string body, string reason)
    {
        var response = await AriaEvents.PostXmlAsync(_host, body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(reason, (await AriaEvents.BodyAsync(response)).GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, await MarkersAsync());
        Assert.Empty(await _host.Storage.ReadPrefixAsync("outbox/jobs/", 10));
    }

    [Fact]
    public async Task An_unknown_class_or_a_document_without_events_is_400_even_with_the_right_key()
    {
        var usage = await AriaEvents.PostXmlAsync(_host, AriaEvents.Xml("tx-usage", 1001, [801], eventClass: "U"));
        var noEvents = await AriaEvents.PostXmlAsync(_host, AriaEvents.Xml("tx-none", 1001, []));

        Assert.Equal(HttpStatusCode.BadRequest, usage.StatusCode);
        Assert.Contains("class", (await AriaEvents.BodyAsync(usage)).GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, noEvents.StatusCode);
        Assert.Equal(0, await MarkersAsync());
    }

    [Fact]
    public async Task The_name_value_format_is_accepted_too()
    {
        var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["transaction_id"] = "tx-nv-1", ["class"] = "T", ["action"] = "A", ["sender"] = "A",
            ["auth_key"] = AriaEvents.SandboxKey, ["acct_no"] = "1001", ["event_id"] = "901",
        });

        var response = await _host.Client.PostAsync(AriaBot.Notifications.Receiver.AriaEventsReceiver.Path, form);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, await MarkersAsync());
    }

    [Fact]
    public async Task Neither_the_payload_nor_the_auth_key_reaches_a_log()
    {
        await AriaEvents.PostXmlAsync(_host, AriaEvents.Xml("tx-secret", 1001, [714]));
        await AriaEvents.PostXmlAsync(_host, AriaEvents.Xml("tx-secret-2", 1001, [714], authKey: "wrong-key-5c2e"));
        await AriaEvents.SettleAsync(_host);

        var logged = string.Join('\n', _host.Logs.GetSnapshot().Select(log => log.Message + log.Exception));
        Assert.Contains("tx-secret", logged, StringComparison.Ordinal);
        Assert.DoesNotContain(AriaEvents.PasswordInPayload, logged, StringComparison.Ordinal);
        Assert.DoesNotContain(AriaEvents.SandboxKey, logged, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-key-5c2e", logged, StringComparison.Ordinal);
        Assert.DoesNotContain("<apf2doc>", logged, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plain_http_is_refused_when_https_is_required_and_a_caller_off_the_allow_list_is_refused()
    {
        await using var https = new AssistantTestHost(new() { ["AriaEvents:RequireHttps"] = "true" });
        var plain = await AriaEvents.PostXmlAsync(https, AriaEvents.Xml("tx-http", 1001, [714]));
        Assert.Equal(HttpStatusCode.Forbidden, plain.StatusCode);
        Assert.Contains("HTTPS", (await AriaEvents.BodyAsync(plain)).GetProperty("error").GetString(), StringComparison.Ordinal);

        await using var listed = new AssistantTestHost(new() { ["AriaEvents:EnforceAllowList"] = "true", ["AriaEvents:AllowedNetworks:0"] = "203.0.113.0/24" });
        var stranger = await AriaEvents.PostXmlAsync(listed, AriaEvents.Xml("tx-ip", 1001, [714]));
        Assert.Equal(HttpStatusCode.Forbidden, stranger.StatusCode);
        Assert.Empty(await listed.Storage.ReadPrefixAsync("notifications/events/", 10));
    }

    [Fact]
    public async Task A_body_over_the_limit_is_refused()
    {
        var huge = AriaEvents.Xml("tx-huge", 1001, [714], extra: $"<notes>{new string('x', 300_000)}</notes>");
        var response = await _host.Client.PostAsync(AriaBot.Notifications.Receiver.AriaEventsReceiver.Path, new StringContent(huge, Encoding.UTF8, "text/xml"));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }
}
