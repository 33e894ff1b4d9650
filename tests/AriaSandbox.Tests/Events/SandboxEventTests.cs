using System.Globalization;
using System.Xml.Linq;
using Aria.Sandbox.Events;

namespace AriaSandbox.Tests.Events;

/// <summary>
/// The sandbox's event notifications (issue 25 item 4): what each change emits, in which order, and the
/// document a receiver gets, delivered over real HTTP to a local receiver.
/// </summary>
public sealed class SandboxEventTests
{
    private const long Alice = 1000001;

    internal static Dictionary<string, string?> Settings(Uri? url, string format = "Xml", bool collect = false, int maxAttempts = 5) => new()
    {
        ["Aria:SandboxEvents:Url"] = url?.ToString(),
        ["Aria:SandboxEvents:Format"] = format,
        ["Aria:SandboxEvents:AutomaticCollection"] = collect ? "true" : "false",
        ["Aria:SandboxEvents:MaxAttempts"] = maxAttempts.ToString(CultureInfo.InvariantCulture),
        ["Aria:SandboxEvents:RetryDelay"] = "00:00:05",

        // The POST timeout runs on the fake clock too: long enough that a test moving the clock never times out a POST in flight.
        ["Aria:SandboxEvents:Timeout"] = "01:00:00",
    };

    private static string No(long value) => value.ToString(CultureInfo.InvariantCulture);

    internal static Task<System.Text.Json.Nodes.JsonObject> QueueUpgradeAsync(SandboxDirect aria, string receiptId)
    {
        var master = aria.Sandbox.PlanInstances(Alice).First(p => p.IsMaster);
        return aria.CallAsync("replace_acct_plan_m", ("acct_no", No(Alice)), ("plan_instance_no", No(master.PlanInstanceNo)), ("new_plan_no", "13"),
            ("assignment_directive", "1"), ("do_write", "true"), ("client_receipt_id", receiptId));
    }

    private static XElement Parse(string xml) => XDocument.Parse(xml).Root!;

    private static string Field(XElement document, string path) =>
        path.Split('/').Aggregate(document, (e, name) => e.Element(name) ?? throw new Xunit.Sdk.XunitException($"no <{name}> in {path}")).Value;

    [Fact]
    public async Task A_queued_plan_change_emits_720_then_724_at_the_anniversary_for_the_same_account()
    {
        await using var receiver = await EventReceiver.StartAsync();
        using var aria = new SandboxDirect(settings: Settings(receiver.Url));

        Assert.Equal(0, SandboxDirect.Code(await QueueUpgradeAsync(aria, "queue-upgrade-1")));
        Assert.Equal([720], aria.Sandbox.Events.Select(e => e.EventId));
        Assert.Equal(12, aria.Sandbox.PlanInstances(Alice).First(p => p.IsMaster).PlanNo); // still Standard until the anniversary

        var advanced = aria.Sandbox.AdvanceClock(TimeSpan.FromDays(21)); // 2026-12-01, Alice's anniversary
        Assert.Equal(new DateOnly(2026, 12, 1), advanced.Today);
        Assert.Equal(13, aria.Sandbox.PlanInstances(Alice).First(p => p.IsMaster).PlanNo);

        var alice = aria.Sandbox.Events.Where(e => e.AcctNo == Alice).ToList();
        Assert.Equal([720, 724, 901], alice.Select(e => e.EventId));
        Assert.Equal(aria.Sandbox.Events.Count - 1, advanced.Events);

        await EventReceiver.WaitUntilAsync(() => aria.Sandbox.Events.All(e => e.Status == SandboxEventStatus.Delivered));
        var received = receiver.Requests.Select(r => Parse(r.Body)).Where(d => d.Descendants("acct_no").First().Value == No(Alice)).ToList();
        Assert.Equal(["720", "724", "901"], received.Select(d => Field(d, "event_data/event/event_id")));
        Assert.Equal("Master Plan Assigned", Field(received[1], "event_data/event/event_label"));
        Assert.Equal("13", Field(received[1], "account/master_plan_instances/master_plan_instance/plan_no"));
    }

    [Fact]
    public async Task Every_invoice_billed_while_time_passes_emits_901_with_its_invoice_and_ids_only_increase()
    {
        await using var receiver = await EventReceiver.StartAsync();
        using var aria = new SandboxDirect(settings: Settings(receiver.Url));
        var before = aria.Sandbox.Read(s => s.Invoices.Select(i => i.InvoiceNo).ToHashSet());

        aria.Sandbox.AdvanceClock(TimeSpan.FromDays(31));

        var billed = aria.Sandbox.Read(s => s.Invoices.Where(i => !before.Contains(i.InvoiceNo)).Select(i => (i.AcctNo, i.InvoiceNo)).ToList());
        Assert.True(billed.Count >= 5, "a month passes every live account's anniversary");
        var invoiceEvents = aria.Sandbox.Events.Where(e => e.EventId == 901).ToList();
        Assert.Equal(billed.Select(b => b.AcctNo).Order(), invoiceEvents.Select(e => e.AcctNo).Order());
        Assert.All(invoiceEvents, e => Assert.Equal('T', e.Class));
        var ids = aria.Sandbox.Events.Select(e => e.TransactionId).ToList();
        Assert.Equal(ids.Order(), ids);
        Assert.Equal(ids.Count, ids.Distinct().Count());

        await EventReceiver.WaitUntilAsync(() => receiver.Requests.Count == aria.Sandbox.Events.Count);
        var documents = receiver.Requests.Select(r => Parse(r.Body)).Where(d => Field(d, "event_data/event/event_id") == "901").ToList();
        Assert.Equal(billed.Select(b => No(b.InvoiceNo)).Order(), documents.Select(d => Field(d, "financial_transactions/transaction/invoice_no")).Order());
        Assert.All(documents, d => Assert.Equal("T", Field(d, "request/class")));
    }

    [Fact]
    public async Task A_card_coming_within_30_days_of_its_expiry_month_end_emits_714_once()
    {
        await using var receiver = await EventReceiver.StartAsync();
        using var aria = new SandboxDirect(settings: Settings(receiver.Url));
        var added = await aria.CallAsync("update_payment_method_m", ("acct_no", No(Alice)), ("pay_method_type", "1"), ("cc_num", "4000056655665556"),
            ("cc_expire_mm", "01"), ("cc_expire_yyyy", "2027"), ("cvv", "731"));
        Assert.Equal(0, SandboxDirect.Code(added));
        Assert.Contains(715, aria.Sandbox.Events.Select(e => e.EventId));
        Assert.DoesNotContain(714, aria.Sandbox.Events.Select(e => e.EventId));

        aria.Sandbox.AdvanceClock(TimeSpan.FromDays(51)); // 2026-12-31: 31 days before 2027-01-31
        Assert.DoesNotContain(714, aria.Sandbox.Events.Select(e => e.EventId));
        aria.Sandbox.AdvanceClock(TimeSpan.FromDays(1)); // 2027-01-01: inside the window
        Assert.Single(aria.Sandbox.Events, e => e.EventId == 714 && e.AcctNo == Alice);
        aria.Sandbox.AdvanceClock(TimeSpan.FromDays(45)); // past the expiry itself
        await aria.CallAsync("get_acct_details_all_m", ("acct_no", No(Alice)));
        Assert.Single(aria.Sandbox.Events, e => e.EventId == 714);

        await EventReceiver.WaitUntilAsync(() => receiver.Requests.Count == aria.Sandbox.Events.Count);
        var document = receiver.Requests.Select(r => Parse(r.Body)).Single(d => Field(d, "event_data/event/event_id") == "714");
        Assert.Equal("Account Credit Card Pending Expiration", Field(document, "event_data/event/event_label"));
        Assert.Equal("alice", Field(document, "account/userid"));

        // What the customer typed for the card is in no document.
        Assert.All(receiver.Requests, r => Assert.DoesNotContain("4000056655665556", r.Body, StringComparison.Ordinal));
        Assert.All(receiver.Requests, r => Assert.DoesNotContain(">731<", r.Body, StringComparison.Ordinal));
        Assert.All(aria.Sandbox.Events, e => Assert.DoesNotContain("665556", e.Body, StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_document_is_Aria_XML_with_the_request_account_and_event_fields_and_the_client_auth_key()
    {
        await using var receiver = await EventReceiver.StartAsync();
        using var aria = new SandboxDirect(settings: Settings(receiver.Url));
        await QueueUpgradeAsync(aria, "queue-upgrade-xml");

        await EventReceiver.WaitUntilAsync(() => !receiver.Requests.IsEmpty);
        var received = Assert.Single(receiver.Requests);
        Assert.StartsWith("text/xml", received.ContentType, StringComparison.Ordinal);
        var document = Parse(received.Body);
        Assert.Equal("apf2doc", document.Name.LocalName);
        Assert.Equal("A", Field(document, "request/sender"));
        Assert.Equal("3.8", Field(document, "request/version"));
        Assert.Equal(No(aria.Sandbox.Events[0].TransactionId), Field(document, "request/transaction_id"));
        Assert.Equal("M", Field(document, "request/action"));
        Assert.Equal("A", Field(document, "request/class"));
        Assert.Equal(SandboxWebHost.AuthKey, Field(document, "request/auth_key"));
        Assert.Equal(aria.Sandbox.Client.AuthKey, Field(document, "request/auth_key"));
        Assert.Equal("queue-upgrade-xml", Field(document, "request/client_receipt_id"));
        Assert.Equal("7000100", Field(document, "account/client_no"));
        Assert.Equal(No(Alice), Field(document, "account/acct_no"));
        Assert.Equal("alice", Field(document, "account/userid"));
        Assert.Equal("12", Field(document, "account/master_plan_instances/master_plan_instance/plan_no"));
        Assert.Equal("720", Field(document, "event_data/event/event_id"));
        Assert.Equal("Master Plan Queued for Assignment", Field(document, "event_data/event/event_label"));
    }

    [Fact]
    public async Task The_name_value_format_carries_the_same_fields_form_encoded()
    {
        await using var receiver = await EventReceiver.StartAsync();
        using var aria = new SandboxDirect(settings: Settings(receiver.Url, format: "NameValue"));
        await QueueUpgradeAsync(aria, "queue-upgrade-nv");

        await EventReceiver.WaitUntilAsync(() => !receiver.Requests.IsEmpty);
        var received = Assert.Single(receiver.Requests);
        Assert.StartsWith("application/x-www-form-urlencoded", received.ContentType, StringComparison.Ordinal);
        var pairs = System.Web.HttpUtility.ParseQueryString(received.Body);
        Assert.Equal(SandboxWebHost.AuthKey, pairs["auth_key"]);
        Assert.Equal(No(aria.Sandbox.Events[0].TransactionId), pairs["transaction_id"]);
        Assert.Equal("A", pairs["sender"]);
        Assert.Equal("A", pairs["class"]);
        Assert.Equal(No(Alice), pairs["acct_no"]);
        Assert.Equal("720", pairs["event_id"]);
        Assert.Equal("Master Plan Queued for Assignment", pairs["event_label"]);
        Assert.Equal("queue-upgrade-nv", pairs["client_receipt_id"]);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public async Task Without_a_url_no_event_is_made_and_time_still_passes(string? url)
    {
        var settings = Settings(url: null);
        settings["Aria:SandboxEvents:Url"] = url;
        using var aria = new SandboxDirect(settings: settings);
        await QueueUpgradeAsync(aria, "queue-upgrade-none");
        var advanced = aria.Sandbox.AdvanceClock(TimeSpan.FromDays(21));

        Assert.Equal(0, advanced.Events);
        Assert.Empty(aria.Sandbox.Events);
        Assert.Equal(13, aria.Sandbox.PlanInstances(Alice).First(p => p.IsMaster).PlanNo);
        Assert.Equal(59.00m, aria.Sandbox.Account(Alice).Balance); // billed Premium, nothing collected
    }
}
