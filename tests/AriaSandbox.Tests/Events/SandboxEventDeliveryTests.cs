using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Aria.Sandbox.Events;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace AriaSandbox.Tests.Events;

/// <summary>How the documents travel: off the call's path, retried with back-off, in order, never twice once taken; and the admin endpoints.</summary>
public sealed class SandboxEventDeliveryTests
{
    private static string TransactionIdOf(string body) => XDocument.Parse(body).Root!.Element("request")!.Element("transaction_id")!.Value;

    [Fact]
    public async Task A_refusing_receiver_gets_the_document_again_after_the_back_off_and_never_a_duplicate_once_it_took_it()
    {
        await using var receiver = await EventReceiver.StartAsync(refuseFirst: 2);
        using var aria = new SandboxDirect(settings: SandboxEventTests.Settings(receiver.Url));
        await SandboxEventTests.QueueUpgradeAsync(aria, "queue-retry");
        var sent = Assert.Single(aria.Sandbox.Events);

        await EventReceiver.WaitUntilAsync(() => sent.Attempts == 1);
        Assert.Equal(SandboxEventStatus.Pending, sent.Status);
        Assert.Equal("HTTP 500", sent.LastError);
        Assert.Single(receiver.Requests); // the 5 s back-off has not passed on the fake clock

        // The loop may not have started its back-off timer yet when a wait sees the attempt: keep the fake clock moving.
        await EventReceiver.WaitUntilAsync(() => sent.Status == SandboxEventStatus.Delivered, () => aria.Time.Advance(TimeSpan.FromSeconds(1)));

        // A later event follows; the delivered one is not sent again.
        await aria.CallAsync("update_payment_method_m", ("acct_no", "1000001"), ("pay_method_type", "1"), ("cc_num", "4000056655665556"),
            ("cc_expire_mm", "08"), ("cc_expire_yyyy", "2030"), ("cvv", "731"));
        await EventReceiver.WaitUntilAsync(() => aria.Sandbox.Events.All(e => e.Status == SandboxEventStatus.Delivered));
        var ids = receiver.Requests.Select(r => TransactionIdOf(r.Body)).ToList();
        Assert.Equal(3, ids.Count(id => id == sent.TransactionId.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal(3 + aria.Sandbox.Events.Count - 1, ids.Count);
        Assert.Equal(3, sent.Attempts);
    }

    [Fact]
    public async Task After_the_last_attempt_a_document_is_marked_failed_and_the_next_one_still_goes()
    {
        await using var receiver = await EventReceiver.StartAsync(refuseFirst: 2);
        using var aria = new SandboxDirect(settings: SandboxEventTests.Settings(receiver.Url, maxAttempts: 2));
        await SandboxEventTests.QueueUpgradeAsync(aria, "queue-give-up");
        var first = Assert.Single(aria.Sandbox.Events);
        await EventReceiver.WaitUntilAsync(() => first.Status == SandboxEventStatus.Failed, () => aria.Time.Advance(TimeSpan.FromSeconds(5)));
        Assert.Equal(2, first.Attempts);

        aria.Sandbox.AdvanceClock(TimeSpan.FromDays(21));
        await EventReceiver.WaitUntilAsync(() => aria.Sandbox.Events.Skip(1).All(e => e.Status == SandboxEventStatus.Delivered));
        Assert.Equal(2 + aria.Sandbox.Events.Count - 1, receiver.Requests.Count);
    }

    [Fact]
    public async Task The_Aria_call_answers_before_the_receiver_does()
    {
        await using var receiver = await EventReceiver.StartAsync();
        receiver.Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var aria = new SandboxDirect(settings: SandboxEventTests.Settings(receiver.Url));

        var reply = await SandboxEventTests.QueueUpgradeAsync(aria, "queue-async");
        Assert.Equal(0, SandboxDirect.Code(reply));
        await EventReceiver.WaitUntilAsync(() => receiver.Requests.Count == 1);
        Assert.Equal(SandboxEventStatus.Pending, aria.Sandbox.Events[0].Status);

        receiver.Gate.SetResult();
        await EventReceiver.WaitUntilAsync(() => aria.Sandbox.Events[0].Status == SandboxEventStatus.Delivered);
    }

    [Fact]
    public async Task With_automatic_collection_billing_collects_and_a_declining_card_emits_the_failed_payment_event()
    {
        await using var receiver = await EventReceiver.StartAsync();
        using var aria = new SandboxDirect(settings: SandboxEventTests.Settings(receiver.Url, collect: true));
        aria.Sandbox.AdvanceClock(TimeSpan.FromDays(25)); // 2026-12-05: Alice (the 1st) and Carol (the 5th) are billed

        Assert.Equal([901, 905], aria.Sandbox.Events.Where(e => e.AcctNo == 1000001).Select(e => e.EventId));
        Assert.Equal(0.00m, aria.Sandbox.Account(1000001).Balance);
        Assert.Equal([901, 907], aria.Sandbox.Events.Where(e => e.AcctNo == 1000003).Select(e => e.EventId));
        Assert.Equal(59.00m + 59.00m, aria.Sandbox.Account(1000003).Balance); // 59.00 was due; the new month is not collected

        await EventReceiver.WaitUntilAsync(() => receiver.Requests.Count == aria.Sandbox.Events.Count);
        var failed = XDocument.Parse(receiver.Requests.Single(r => r.Body.Contains("<event_id>907</event_id>", StringComparison.Ordinal)).Body).Root!;
        var transaction = failed.Element("financial_transactions")!.Element("transaction")!;
        Assert.Equal("1000003", transaction.Element("acct_no")!.Value);
        Assert.Equal("Do Not Honor", transaction.Element("proc_status_text")!.Value);
        Assert.Equal("Electronic Payment Failed", failed.Element("event_data")!.Element("event")!.Element("event_label")!.Value);
    }

    [Fact]
    public async Task The_admin_endpoints_advance_the_clock_and_list_the_events_without_the_auth_key()
    {
        var settings = SandboxEventTests.Settings(new Uri("http://127.0.0.1:9/api/aria/events"));
        await using var app = SandboxWebHost.Build(Environments.Development, useSandbox: true, settings: settings);
        await app.StartAsync();
        using var http = app.GetTestClient();

        var clock = await http.GetFromJsonAsync<JsonObject>(new Uri("/aria-sandbox/admin/clock", UriKind.Relative));
        Assert.Equal("2026-11-10", clock!["today"]!.GetValue<string>());
        var advance = await http.PostAsJsonAsync(new Uri("/aria-sandbox/admin/clock/advance", UriKind.Relative), new { days = 21, hours = 1 });
        Assert.Equal(HttpStatusCode.OK, advance.StatusCode);
        var advanced = (await advance.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal("2026-12-01", advanced["today"]!.GetValue<string>());
        Assert.True(advanced["events"]!.GetValue<int>() >= 2);

        var listing = await http.GetStringAsync(new Uri("/aria-sandbox/admin/events", UriKind.Relative));
        Assert.DoesNotContain(SandboxWebHost.AuthKey, listing, StringComparison.Ordinal);
        Assert.DoesNotContain("auth_key", listing, StringComparison.Ordinal);
        var events = JsonNode.Parse(listing)!.AsArray();
        Assert.Equal(advanced["events"]!.GetValue<int>(), events.Count);
        Assert.Contains(events, e => e!["event_ids"]![0]!.GetValue<int>() == 901 && e["acct_no"]!.GetValue<long>() == 1000001 && !e["delivered"]!.GetValue<bool>());

        foreach (var bad in new[] { "not json", "{}", "{\"days\": -1}", "{\"days\": 100000}" })
        {
            using var content = new StringContent(bad, System.Text.Encoding.UTF8, "application/json");
            var refused = await http.PostAsync(new Uri("/aria-sandbox/admin/clock/advance", UriKind.Relative), content);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Contains("days", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        Assert.Equal("2026-12-01", (await http.GetFromJsonAsync<JsonObject>(new Uri("/aria-sandbox/admin/clock", UriKind.Relative)))!["today"]!.GetValue<string>());
    }

    [Fact]
    public async Task Start_up_refuses_an_event_url_that_is_not_absolute_http()
    {
        var settings = SandboxEventTests.Settings(url: null);
        settings["Aria:SandboxEvents:Url"] = "ftp://example.test/events";
        // Mapping reads the validated options, so the refusal may come from Build's MapAriaSandbox or from start.
        var error = await Assert.ThrowsAsync<OptionsValidationException>(async () =>
        {
            await using var app = SandboxWebHost.Build(Environments.Development, useSandbox: true, settings: settings);
            await app.StartAsync();
        });
        Assert.Contains("Aria:SandboxEvents:Url", error.Message, StringComparison.Ordinal);
    }
}
