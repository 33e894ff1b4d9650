using System.Text.Json;
using AriaBot.Session;
using BotRuntime.Schema;

namespace AriaBot.Tests.Account;

/// <summary>
/// The histories turn by turn against the sandbox: each kind, a period filter, paging that checks the session and reads
/// Aria again, an empty history, and a message for something else while a page waits. The tests share one host, each
/// in its own conversation with its own chat user; the ones that move the clock or count a call across the whole host
/// (<see cref="OnItsOwnHost"/>) or change a setting (<see cref="WithOwnHost"/>) start their own.
/// </summary>
public sealed class HistoryTests(SharedAssistantHost shared) : IClassFixture<SharedAssistantHost>, IAsyncLifetime
{
    private readonly AssistantTestHost _host = shared.Host;
    private readonly string _conversationId = SharedAssistantHost.NewConversationId();
    private readonly string _userId = SharedAssistantHost.NewConversationId("user");
    private AssistantConversation _chat = null!;

    public async Task InitializeAsync()
    {
        // Frank: six months of statements and three past orders (150, 75 and 12 days ago).
        await _host.BindDirectlyAsync(new BindingKey(Channels.Webchat, _conversationId, _userId), "frank", "frank-demo-1");
        _chat = _host.Conversation(_userId, _conversationId);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Transactions_come_a_page_at_a_time_and_show_more_checks_the_session_and_reads_Aria_again()
    {
        var first = await _chat.SayAsync("show my transactions");
        var firstCard = CardText(first);
        Assert.Contains("Your transactions", firstCard, StringComparison.Ordinal);
        Assert.Equal(["Show more"], Buttons(first));
        Assert.Equal(5, Rows(first).Count);
        var reads = _host.Sandbox.Calls.Count("get_acct_trans_history_m");
        var checks = _host.Sandbox.Calls.Count("validate_session_m");

        var second = await _chat.ClickAsync("Show more");
        Assert.Equal(reads + 1, _host.Sandbox.Calls.Count("get_acct_trans_history_m"));
        Assert.True(_host.Sandbox.Calls.Count("validate_session_m") > checks);
        var secondRows = Rows(second);
        Assert.NotEmpty(secondRows);
        // The next page: none of the first page's rows again (each row names its date and amount).
        Assert.Empty(secondRows.Intersect(Rows(first)));
    }

    [Fact]
    public async Task Orders_in_a_period_leave_out_older_ones()
    {
        var all = CardText(await _chat.SayAsync("show my orders"));
        Assert.Contains("Your orders", all, StringComparison.Ordinal);
        Assert.Contains("1 × Wi-Fi 6 Router, 2 × Ethernet Cable 5 m", all, StringComparison.Ordinal);
        Assert.Contains("2 × Mesh Extender", all, StringComparison.Ordinal);

        var recent = CardText(await _chat.SayAsync("show my orders from the last 3 months"));
        Assert.Contains("2 × Mesh Extender", recent, StringComparison.Ordinal);
        Assert.Contains("1 × USB Headset", recent, StringComparison.Ordinal);
        Assert.DoesNotContain("Wi-Fi 6 Router", recent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Statements_and_payments_are_listed_with_amounts_in_the_account_currency()
    {
        var statements = await _chat.SayAsync("show my statements");
        Assert.Contains("Your statements", CardText(statements), StringComparison.Ordinal);
        Assert.Equal(["Show more"], Buttons(statements)); // six months: one more than a page

        var payments = CardText(await _chat.SayAsync("show my payment history"));
        Assert.Contains("Your payments", payments, StringComparison.Ordinal);
        Assert.Contains("card ending 4444", payments, StringComparison.Ordinal);
        Assert.Contains("$", payments, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_empty_history_is_said_plainly()
    {
        await _host.BindDirectlyAsync(new BindingKey(Channels.Webchat, "convo2", "user2"), "grace", "grace-demo-1");
        var replies = await _host.Conversation("user2", "convo2").SayAsync("show my orders");
        Assert.Contains("There are no orders on your account so far.", Text(replies), StringComparison.Ordinal);
        Assert.DoesNotContain(replies, reply => reply.Attachments?.Count > 0);
    }

    [Fact]
    public async Task Another_request_while_a_page_waits_is_understood_not_lost()
    {
        await _chat.SayAsync("show my transactions");
        var replies = await _chat.SayAsync("show me my account");
        Assert.Contains("Your account, Frank", CardText(replies), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Where_cards_are_not_shown_a_history_is_text_and_says_how_to_see_more()
    {
        await _host.BindDirectlyAsync(new BindingKey(Channels.Slack, "B1:T1:D0456", "user4"), "frank", "frank-demo-1");
        var replies = await _host.Conversation("user4", "B1:T1:D0456", Channels.Slack).SayAsync("show my transactions");
        Assert.DoesNotContain(replies, reply => reply.Attachments?.Count > 0);
        var text = Text(replies);
        Assert.Contains("Your transactions", text, StringComparison.Ordinal);
        Assert.Contains("say \"Show more\" to see older ones", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task In_Spanish_the_payment_history_is_in_Spanish()
    {
        await _host.BindDirectlyAsync(new BindingKey(Channels.Webchat, "convo3", "user3"), "frank", "frank-demo-1");
        var replies = await _host.Conversation("user3", "convo3", locale: "es-ES").SayAsync("quiero ver mis pagos");
        var card = CardText(replies);
        Assert.Contains("Tus pagos", card, StringComparison.Ordinal);
        Assert.Contains("tarjeta terminada en 4444", card, StringComparison.Ordinal);
        Assert.Contains("US$", card, StringComparison.Ordinal);
    }

    private static string Text(IEnumerable<Activity> replies) => string.Join("\n", AssistantConversation.Texts(replies));

    private static string CardText(IEnumerable<Activity> replies) =>
        string.Join("\n", replies.SelectMany(reply => reply.Attachments ?? []).Where(a => a.ContentType == ContentTypes.AdaptiveCard).Select(a => a.Content?.GetRawText() ?? string.Empty))
        + "\n" + Text(replies);

    private static List<string> Buttons(IEnumerable<Activity> replies) =>
        [.. replies.Where(reply => reply.SuggestedActions?.Actions is { Count: > 0 }).SelectMany(reply => reply.SuggestedActions!.Actions!).Select(action => action.Title ?? string.Empty)];

    /// <summary>The card's rows (each ColumnSet's texts joined), to compare pages.</summary>
    private static List<string> Rows(IEnumerable<Activity> replies)
    {
        var card = replies.SelectMany(reply => reply.Attachments ?? []).Single(a => a.ContentType == ContentTypes.AdaptiveCard).Content!.Value;
        return [.. card.GetProperty("body").EnumerateArray()
            .Where(element => element.GetProperty("type").GetString() == "ColumnSet")
            .Select(element => string.Join(" | ", Texts(element)))];
    }

    private static IEnumerable<string> Texts(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object when element.TryGetProperty("text", out var text) => [text.GetString() ?? string.Empty],
        JsonValueKind.Object => element.EnumerateObject().SelectMany(property => Texts(property.Value)),
        JsonValueKind.Array => element.EnumerateArray().SelectMany(Texts),
        _ => [],
    };

    /// <summary>Tests that move the clock or count a call across the whole host: a host per test, frank signed in.</summary>
    public sealed class OnItsOwnHost : IAsyncLifetime
    {
        private readonly AssistantTestHost _host = new();
        private AssistantConversation _chat = null!;

        public async Task InitializeAsync()
        {
            await _host.BindDirectlyAsync(new BindingKey(Channels.Webchat, "convo1", "user1"), "frank", "frank-demo-1");
            _chat = _host.Conversation();
        }

        public async Task DisposeAsync() => await _host.DisposeAsync();

        [Fact]
        public async Task Show_more_after_the_session_expired_offers_sign_in_and_reads_nothing()
        {
            await _chat.SayAsync("show my transactions");
            var reads = _host.Sandbox.Calls.Count("get_acct_trans_history_m");
            _host.Time.Advance(TimeSpan.FromMinutes(31)); // the sandbox's sessions last 30 minutes

            var replies = await _chat.ClickAsync("Show more");
            Assert.Contains(replies, reply => reply.Attachments?.Any(a => a.ContentType == ContentTypes.HeroCard) == true);
            Assert.Equal(reads, _host.Sandbox.Calls.Count("get_acct_trans_history_m"));
        }

        [Fact]
        public async Task Invoices_show_their_lines_read_with_get_invoice_details()
        {
            var card = CardText(await _chat.SayAsync("show my invoices"));
            Assert.Contains("Your invoices", card, StringComparison.Ordinal);
            Assert.Contains("Invoice ", card, StringComparison.Ordinal);
            Assert.Contains("– Standard", card, StringComparison.Ordinal);
            Assert.True(_host.Sandbox.Calls.Count("get_invoice_details_m") > 0);
        }

        [Fact]
        public async Task In_a_group_conversation_histories_are_refused_and_nothing_is_read()
        {
            var group = _host.Conversation(userId: "user9", conversationId: "19:team@thread.tacv2", channelId: Channels.Msteams, conversationType: "channel", isGroup: true);
            var replies = await group.SayAsync("show my transactions");
            Assert.Contains("one-to-one chat", Text(replies), StringComparison.Ordinal);
            Assert.Equal(0, _host.Sandbox.Calls.Count("get_acct_trans_history_m"));
        }
    }

    /// <summary>
    /// The tests that need other settings or services build a host of their own; here, in a class without a host
    /// field, they start that host only instead of the class's as well.
    /// </summary>
    public sealed class WithOwnHost
    {
        [Fact]
        public async Task A_history_switched_off_is_not_shown()
        {
            await using var host = new AssistantTestHost(new() { ["SelfService:Sections:PaymentHistory"] = "false" });
            await host.BindDirectlyAsync(new BindingKey(Channels.Webchat, "convo1", "user1"), "frank", "frank-demo-1");
            var replies = await host.Conversation().SayAsync("show my payment history");
            Assert.DoesNotContain(replies, reply => reply.Attachments?.Count > 0);
            Assert.Equal(0, host.Sandbox.Calls.Count("get_acct_payment_history_m"));
        }
    }
}
