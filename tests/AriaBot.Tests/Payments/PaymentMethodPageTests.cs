using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using AriaBot.Audit;
using AriaBot.Session;
using BotRuntime.Schema;
using BotRuntime.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Testing;

namespace AriaBot.Tests.Payments;

/// <summary>
/// Update payment information (issue 15, item 2) against the sandbox: the chat lists the methods masked and sends a
/// single-use link; the page (real HTTP pipeline) adds the card with the session validated last and one receipt per
/// link; GETs leave the link usable, a second or concurrent submit adds nothing, an expired link or session writes
/// nothing, the card-testing limits hold, and the test card number is nowhere afterwards.
/// </summary>
public sealed class PaymentMethodPageTests : IAsyncLifetime
{
    internal const string TestCard = "4000056655665556";
    internal const string TestCardTyped = "4000 0566 5566 5556";
    private const string Cvv = "731";
    private const long Alice = 1000001;

    private readonly AssistantTestHost _host;
    private AssistantConversation _chat = null!;

    public PaymentMethodPageTests() => _host = new AssistantTestHost();

    private int Year => CardYear(_host);

    private static int CardYear(AssistantTestHost host) => host.Time.GetUtcNow().Year + 3;

    private string Masked => $"Visa ending 5556, expires 08/{Year % 100:00}";

    public async Task InitializeAsync()
    {
        _chat = _host.Conversation();
        await _host.BindDirectlyAsync(new BindingKey(Channels.Webchat, "convo1", "user1"));
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task The_chat_lists_the_methods_masked_and_the_page_replaces_the_card_once_with_the_session_validated_last()
    {
        var listed = AssistantConversation.Texts(await _chat.SayAsync("update my card"));
        Assert.Contains(listed, text => text.Contains("Visa ending 4242, expires 08/", StringComparison.Ordinal) && text.Contains("used for your bills", StringComparison.Ordinal));
        var oldPrimary = PrimaryOfAlice();
        var link = await LinkAsync(_chat);

        // Link previews and reloads use nothing.
        var browser = _host.NewBrowser();
        var first = await AssistantTestHost.GetAsync(browser, link);
        var form = await AssistantTestHost.GetAsync(browser, link);
        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.Equal(HttpStatusCode.OK, form.Status);
        AssertSecurityHeaders(form.Response, "'none'");
        Assert.Contains("autocomplete=\"cc-number\"", form.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", form.Html, StringComparison.OrdinalIgnoreCase);

        _host.Sandbox.Calls.Clear();
        var added = await PostAsync(browser, Fields(form));
        Assert.Equal(HttpStatusCode.OK, added.Status);
        AssertSecurityHeaders(added.Response, "'none'");
        Assert.Contains(Masked, added.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(TestCard, added.Html, StringComparison.Ordinal);

        var calls = _host.Sandbox.Calls.All.Select(call => call.RestCall).ToList();
        var write = calls.IndexOf("update_payment_method_m");
        Assert.True(write > 0, string.Join(", ", calls));
        Assert.Equal("validate_session_m", calls[write - 1]);
        Assert.Single(calls, call => call == "update_payment_method_m");
        var methods = _host.Sandbox.Read(s => s.Accounts.Single(a => a.AcctNo == Alice).PaymentMethods.Select(m => (m.PaymentMethodNo, m.Suffix, m.Disabled)).ToList());
        var added5556 = Assert.Single(methods, m => m.Suffix == "5556");
        Assert.False(added5556.Disabled);
        // The new card takes over the old one's billing group; the old one is disabled (Aria's default on update).
        Assert.Equal(added5556.PaymentMethodNo, PrimaryOfAlice());
        Assert.True(methods.Single(m => m.PaymentMethodNo == oldPrimary).Disabled);

        // The second submit of the same form (a double click, the back button) adds nothing.
        var again = await PostAsync(browser, Fields(form));
        Assert.Equal(HttpStatusCode.Gone, again.Status);
        Assert.Single(_host.Sandbox.Calls.All, call => call.RestCall == "update_payment_method_m");

        var audit = await _host.Services.GetRequiredService<IAuditLog>().ReadAsync(Alice);
        var entry = Assert.Single(audit, e => e.Call == "update_payment_method_m");
        Assert.Equal(AuditOutcome.Committed, entry.Outcome);
        Assert.Equal(Masked, entry.Detail);
        Assert.StartsWith("pm-", entry.ReceiptId, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_concurrent_submits_of_one_link_add_one_method()
    {
        await _chat.SayAsync("update my card");
        var link = await LinkAsync(_chat);
        var one = _host.NewBrowser();
        var two = _host.NewBrowser();
        var formOne = await AssistantTestHost.GetAsync(one, link);
        var formTwo = await AssistantTestHost.GetAsync(two, link);
        var answers = await Task.WhenAll(PostAsync(one, Fields(formOne)), PostAsync(two, Fields(formTwo)));
        Assert.Single(answers, answer => answer.Status == HttpStatusCode.OK);
        Assert.Single(answers, answer => answer.Status == HttpStatusCode.Gone);
        Assert.Single(_host.Sandbox.Read(s => s.Accounts.Single(a => a.AcctNo == Alice).PaymentMethods.Where(m => m.Suffix == "5556").ToList()));
    }

    [Fact]
    public async Task An_expired_link_is_refused_and_calls_nothing()
    {
        await _chat.SayAsync("update my card");
        var link = await LinkAsync(_chat);
        var browser = _host.NewBrowser();
        var form = await AssistantTestHost.GetAsync(browser, link);
        _host.Time.Advance(TimeSpan.FromMinutes(10) + TimeSpan.FromSeconds(1));
        _host.Sandbox.Calls.Clear();
        Assert.Equal(HttpStatusCode.Gone, (await AssistantTestHost.GetAsync(browser, link)).Status);
        var late = await PostAsync(browser, Fields(form));
        Assert.Equal(HttpStatusCode.Gone, late.Status);
        Assert.Contains("Ask the assistant in the chat for a new one", late.Text, StringComparison.Ordinal);
        Assert.Empty(_host.Sandbox.Calls.All);
    }

    [Fact]
    public async Task A_session_that_ended_before_the_submit_writes_nothing()
    {
        await _chat.SayAsync("update my card");
        var link = await LinkAsync(_chat);
        var browser = _host.NewBrowser();
        var form = await AssistantTestHost.GetAsync(browser, link);
        // Aria ends the session (expiry, sign-out elsewhere) while the page is open.
        _host.Sandbox.Write(s => { foreach (var session in s.Sessions) { session.Killed = true; } });
        _host.Sandbox.Calls.Clear();
        var answer = await PostAsync(browser, Fields(form));
        Assert.Equal(HttpStatusCode.Forbidden, answer.Status);
        Assert.Contains("nothing was saved", answer.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(_host.Sandbox.Calls.All, call => call.RestCall == "update_payment_method_m");
        Assert.Empty(_host.Sandbox.Read(s => s.Accounts.Single(a => a.AcctNo == Alice).PaymentMethods.Where(m => m.Suffix == "5556").ToList()));
    }

    [Fact]
    public async Task A_mistyped_card_keeps_the_link_costs_no_attempt_and_is_never_written_back()
    {
        await _chat.SayAsync("update my card");
        var link = await LinkAsync(_chat);
        var browser = _host.NewBrowser();
        var form = await AssistantTestHost.GetAsync(browser, link);
        _host.Sandbox.Calls.Clear();
        var fields = Fields(form);
        fields["cardNumber"] = "4000 0566 5566 5557";
        var wrong = await PostAsync(browser, fields);
        Assert.Equal(HttpStatusCode.BadRequest, wrong.Status);
        Assert.Contains("That card number doesn't look right", wrong.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("5566", wrong.Html, StringComparison.Ordinal);
        Assert.Empty(_host.Sandbox.Calls.All);
        fields = Fields(wrong);
        fields["cvv"] = "7";
        Assert.Equal(HttpStatusCode.BadRequest, (await PostAsync(browser, fields)).Status);
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(browser, Fields(wrong))).Status);
    }

    [Fact]
    public async Task A_card_Aria_refuses_writes_nothing_keeps_the_link_and_is_audited()
    {
        await _chat.SayAsync("update my card");
        var link = await LinkAsync(_chat);
        var browser = _host.NewBrowser();
        var form = await AssistantTestHost.GetAsync(browser, link);
        _host.Sandbox.Faults.FailNext("update_payment_method_m", 4009);
        var refused = await PostAsync(browser, Fields(form));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.Status);
        Assert.Contains("The card wasn't accepted", refused.Text, StringComparison.Ordinal);
        Assert.Empty(_host.Sandbox.Read(s => s.Accounts.Single(a => a.AcctNo == Alice).PaymentMethods.Where(m => m.Suffix == "5556").ToList()));
        // Same link, corrected card: one method, under the link's one receipt id.
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(browser, Fields(refused))).Status);
        Assert.Single(_host.Sandbox.Read(s => s.Accounts.Single(a => a.AcctNo == Alice).PaymentMethods.Where(m => m.Suffix == "5556").ToList()));
        var audit = await _host.Services.GetRequiredService<IAuditLog>().ReadAsync(Alice);
        Assert.Contains(audit, e => e.Outcome == AuditOutcome.Rejected && e.AriaErrorCode == 4009);
        Assert.Contains(audit, e => e.Outcome == AuditOutcome.Committed);
    }

    [Fact]
    public async Task A_lost_reply_adds_one_method_and_says_the_truth()
    {
        await _chat.SayAsync("update my card");
        var link = await LinkAsync(_chat);
        var browser = _host.NewBrowser();
        var form = await AssistantTestHost.GetAsync(browser, link);
        // Aria commits, the answer never arrives: whatever the client does next, the link's receipt id allows one method.
        _host.Sandbox.Faults.LoseResponseNext("update_payment_method_m");
        var answer = await PostAsync(browser, Fields(form));
        Assert.Contains(answer.Status, new[] { HttpStatusCode.OK, HttpStatusCode.BadGateway });
        Assert.Contains(answer.Status == HttpStatusCode.OK ? Masked : "can't tell whether the card was saved", answer.Text, StringComparison.Ordinal);
        Assert.Single(_host.Sandbox.Read(s => s.Accounts.Single(a => a.AcctNo == Alice).PaymentMethods.Where(m => m.Suffix == "5556").ToList()));
        // Never retried from the page: the link is used.
        Assert.Equal(HttpStatusCode.Gone, (await PostAsync(browser, Fields(form))).Status);
        Assert.Single(_host.Sandbox.Read(s => s.Accounts.Single(a => a.AcctNo == Alice).PaymentMethods.Where(m => m.Suffix == "5556").ToList()));
    }

    [Fact]
    public async Task A_post_without_the_antiforgery_token_is_refused_with_a_plain_page()
    {
        await _chat.SayAsync("update my card");
        var link = await LinkAsync(_chat);
        var browser = _host.NewBrowser();
        var form = await AssistantTestHost.GetAsync(browser, link);
        var fields = Fields(form);
        fields.Remove("__RequestVerificationToken");
        var refused = await PostAsync(browser, fields);
        Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
        Assert.Contains("Something went wrong with the form", refused.Text, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await AssistantTestHost.GetAsync(browser, link)).Status);
    }

    [Fact]
    public async Task The_test_card_number_and_cvv_are_in_no_log_line_stored_row_or_reply()
    {
        await _chat.SayAsync("update my card");
        var browser = _host.NewBrowser();
        var form = await AssistantTestHost.GetAsync(browser, await LinkAsync(_chat));
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(browser, Fields(form))).Status);
        // And the same card typed into the chat by mistake.
        var warned = AssistantConversation.Texts(await _chat.SayAsync($"my new card is {TestCardTyped} cvv {Cvv}"));
        Assert.Contains(warned, text => text.Contains("secure page", StringComparison.Ordinal));

        var haystack = new StringBuilder();
        foreach (var record in _host.Logs.GetSnapshot())
        {
            haystack.Append(record.Category).Append('|').Append(record.Message).Append('|')
                .Append(string.Join(",", (record.StructuredState ?? []).Select(p => $"{p.Key}={p.Value}"))).Append('|').Append(record.Exception).Append('\n');
        }
        haystack.Append(await StoredText.AllAsync(_host.Storage)).Append('\n');
        foreach (var reply in _chat.Said)
        {
            haystack.Append(JsonSerializer.Serialize(reply)).Append('\n');
        }
        var everything = haystack.ToString();
        Assert.Contains("transcript", everything, StringComparison.OrdinalIgnoreCase);
        foreach (var secret in new[] { TestCard, TestCardTyped, "4000-0566-5566-5556", $"cvv {Cvv}", $"\"cvv\":\"{Cvv}\"", $"cvv={Cvv}" })
        {
            Assert.DoesNotContain(secret, everything, StringComparison.Ordinal);
        }
    }

    // ---- helpers ----

    private long? PrimaryOfAlice() => _host.Sandbox.Read(s => s.Accounts.Single(a => a.AcctNo == Alice).BillingGroups.First().PrimaryPaymentMethodNo);

    /// <summary>Picks "Replace my card" and returns the link from the card the bot sends.</summary>
    internal static async Task<Uri> LinkAsync(AssistantConversation chat)
    {
        var replies = await chat.ClickAsync("Replace my card");
        return AssistantTestHost.LinkIn(replies.First(reply => reply.Attachments is { Count: > 0 }));
    }

    private Dictionary<string, string> Fields(AssistantTestHost.Page form) => Fields(form, Year);

    private static Dictionary<string, string> Fields(AssistantTestHost.Page form, int year) => new()
    {
        ["state"] = form.Field("state")!,
        ["__RequestVerificationToken"] = form.Token!,
        ["cardNumber"] = TestCardTyped,
        ["expiryMonth"] = "08",
        ["expiryYear"] = year.ToString(CultureInfo.InvariantCulture),
        ["cvv"] = Cvv,
    };

    private static async Task<AssistantTestHost.Page> PostAsync(HttpClient browser, Dictionary<string, string> fields)
    {
        using var content = new FormUrlEncodedContent(fields);
        var response = await browser.PostAsync(new Uri("/payment-method", UriKind.Relative), content);
        return new AssistantTestHost.Page(response.StatusCode, await response.Content.ReadAsStringAsync(), response);
    }

    private static void AssertSecurityHeaders(HttpResponseMessage response, string frameAncestors)
    {
        Assert.Equal("no-store", response.Headers.CacheControl!.ToString());
        Assert.Equal("no-referrer", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        var csp = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
        Assert.Equal($"default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors {frameAncestors}; base-uri 'none'", csp);
        Assert.Matches(new Regex("^text/html"), response.Content.Headers.ContentType!.ToString());
    }

    /// <summary>
    /// The tests that need other settings or services build a host of their own; here, in a class without a host
    /// field, they start that host only instead of the class's as well.
    /// </summary>
    public sealed class WithOwnHost
    {
        [Theory]
        [InlineData("PaymentMethods:CardAttemptsPerAccountPerDay")]
        [InlineData("PaymentMethods:CardAttemptsPerIpPerDay")]
        public async Task Card_attempts_are_limited_per_account_and_per_address_per_day_with_a_clear_page(string limit)
        {
            await using var host = new AssistantTestHost(new() { [limit] = "1" });
            var chat = host.Conversation();
            await host.BindDirectlyAsync(new BindingKey(Channels.Webchat, "convo1", "user1"));
            await chat.SayAsync("update my card");
            var browser = host.NewBrowser();
            var first = await AssistantTestHost.GetAsync(browser, await LinkAsync(chat));
            Assert.Equal(HttpStatusCode.OK, (await PostAsync(browser, Fields(first, CardYear(host)))).Status);

            await chat.SayAsync("update my card");
            var second = await AssistantTestHost.GetAsync(browser, await LinkAsync(chat));
            host.Sandbox.Calls.Clear();
            var limited = await PostAsync(browser, Fields(second, CardYear(host)));
            Assert.Equal((HttpStatusCode)429, limited.Status);
            Assert.Contains("no more cards can be tried today", limited.Text, StringComparison.Ordinal);
            Assert.Empty(host.Sandbox.Calls.All);
            var audit = await host.Services.GetRequiredService<IAuditLog>().ReadAsync(Alice);
            Assert.Single(audit, e => e.Outcome == AuditOutcome.Committed);
        }

        [Fact]
        public async Task The_page_may_be_framed_only_by_the_configured_portal()
        {
            await using var host = new AssistantTestHost(new() { ["PaymentMethods:PortalOrigins:0"] = "https://portal.example.com" });
            var chat = host.Conversation();
            await host.BindDirectlyAsync(new BindingKey(Channels.Webchat, "convo1", "user1"));
            await chat.SayAsync("update my card");
            var form = await AssistantTestHost.GetAsync(host.NewBrowser(), await LinkAsync(chat));
            AssertSecurityHeaders(form.Response, "https://portal.example.com");
            Assert.False(form.Response.Headers.Contains("X-Frame-Options"));
        }
    }
}
