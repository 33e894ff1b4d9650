using AriaBot.Audit;
using AriaBot.Session;
using Aria.Sandbox.State;
using BotRuntime.Schema;
using BotRuntime.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace AriaBot.Tests.Payments;

/// <summary>
/// One charge, or none, whatever happens to the confirmation: redelivered with the same or new ids, an old card's
/// button, a reply Aria committed but lost, a process killed between the charge and the state save, and a deliberate
/// second payment of the same amount that must not be mistaken for the first.
/// </summary>
public sealed class PaymentExactlyOnceTests : IAsyncLifetime
{
    private const long Bob = MakePaymentTests.Bob;

    private readonly AssistantTestHost _host = new();
    private AssistantConversation _chat = null!;

    public async Task InitializeAsync()
    {
        _chat = _host.Conversation();
        await _host.BindDirectlyAsync(new BindingKey(Channels.Webchat, "convo1", "user1"), "bob", "bob-demo-1");
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task The_confirmation_redelivered_five_times_with_one_id_charges_once_and_answers_the_same()
    {
        await _host.BindDirectlyAsync(new BindingKey(Channels.Webchat, "api-convo", "api-user"), "bob", "bob-demo-1");
        await PostAsync("m1", "pay $20");
        var first = await PostAsync("m2", "yes");
        for (var i = 0; i < 4; i++)
        {
            var again = await PostAsync("m2", "yes");
            Assert.Equal(PaymentText.Of(first), PaymentText.Of(again));
        }
        var payment = Assert.Single(PaymentText.Ours(_host, Bob));
        Assert.Contains($"Your receipt number is {payment.TransactionId}", PaymentText.Of(first), StringComparison.Ordinal);
        Assert.Equal(1, PaymentText.Charges(_host));
        Assert.Single(await PaymentText.AuditAsync(_host, Bob));
    }

    [Fact]
    public async Task The_confirm_button_clicked_five_times_and_an_old_cards_button_charge_once()
    {
        var first = await _chat.SayAsync("pay $20");
        var oldId = PaymentText.PreviewIdOf(first);
        // Asked again: a new card, and the first card's button is now stale.
        await _chat.SayAsync("no");
        var second = await _chat.SayAsync("pay $20");
        var newId = PaymentText.PreviewIdOf(second);
        Assert.NotEqual(oldId, newId);

        var stale = await _chat.SubmitAsync(new { action = "confirmChange", previewId = oldId });
        Assert.Contains("That confirmation belongs to an earlier preview", PaymentText.Of(stale), StringComparison.Ordinal);
        Assert.Equal(0, PaymentText.Charges(_host));

        for (var i = 0; i < 5; i++)
        {
            await _chat.SubmitAsync(new { action = "confirmChange", previewId = newId });
        }
        Assert.Single(PaymentText.Ours(_host, Bob));
        Assert.Equal(1, PaymentText.Charges(_host));

        var old = await _chat.SubmitAsync(new { action = "confirmChange", previewId = oldId });
        Assert.Contains("no longer open", PaymentText.Of(old), StringComparison.Ordinal);
        Assert.Equal(1, PaymentText.Charges(_host));
    }

    [Fact]
    public async Task A_charge_committed_but_whose_reply_was_lost_is_found_by_its_receipt_and_told_truthfully()
    {
        await _chat.SayAsync("pay $20");
        _host.Sandbox.Faults.LoseResponseNext("collect_from_account_m");

        var done = await _chat.ClickAsync("Confirm");
        var payment = Assert.Single(PaymentText.Ours(_host, Bob));
        Assert.Contains("Thank you! Your payment of $20.00 with MasterCard ending 5454 went through. Your balance is now $18.00.", PaymentText.Of(done), StringComparison.Ordinal);
        Assert.Equal(1, _host.Sandbox.Calls.All.Count(call => call.RestCall == "collect_from_account_m" && call.ErrorCode == 0));
        Assert.Equal(1, _host.Sandbox.Calls.Count("get_all_actions_by_receipt_id_m"));
        var audit = Assert.Single(await PaymentText.AuditAsync(_host, Bob));
        Assert.Equal((AuditOutcome.Committed, payment.ClientReceiptId), (audit.Outcome, audit.ReceiptId));
    }

    [Fact]
    public async Task A_deliberate_second_payment_of_the_same_amount_after_a_lost_reply_is_charged_and_not_taken_for_the_first()
    {
        await _chat.SayAsync("pay $10");
        _host.Sandbox.Faults.LoseResponseNext("collect_from_account_m");
        await _chat.ClickAsync("Confirm");
        Assert.Single(PaymentText.Ours(_host, Bob));

        // The customer pays $10 again on purpose: a new receipt id, a second charge.
        await _chat.SayAsync("pay $10");
        var second = await _chat.ClickAsync("Confirm");
        Assert.Equal(2, PaymentText.Ours(_host, Bob).Count);
        Assert.Contains("Your receipt number is", PaymentText.Of(second), StringComparison.Ordinal);

        // A third $10 that Aria never applied, with the receipt look-ups unable to answer: the payment history is read,
        // and the two earlier $10 payments (older than the mark kept before the call) are not taken for this one.
        await _chat.SayAsync("pay $10");
        _host.Sandbox.Faults.FailNext("collect_from_account_m", 1099);
        _host.Sandbox.Faults.FailNext("get_all_actions_by_receipt_id_m", 1001);
        _host.Sandbox.Faults.FailNext("get_all_acct_receipt_ids_m", 1001);
        var third = await _chat.ClickAsync("Confirm");
        Assert.Contains("Your earlier request didn't go through, and nothing was changed: payment of $10.00 with MasterCard ending 5454.", PaymentText.Of(third), StringComparison.Ordinal);
        Assert.Equal(2, PaymentText.Ours(_host, Bob).Count);
    }

    [Fact]
    public async Task When_neither_the_receipt_nor_the_history_can_answer_the_payment_is_unknown_and_not_retried()
    {
        await _chat.SayAsync("pay $10");
        _host.Sandbox.Faults.FailNext("collect_from_account_m", 1099);
        _host.Sandbox.Faults.FailNext("get_all_actions_by_receipt_id_m", 1001);
        _host.Sandbox.Faults.FailNext("get_all_acct_receipt_ids_m", 1001);
        _host.Sandbox.Faults.FailNext("get_acct_payment_history_m", 1001);
        var told = await _chat.ClickAsync("Confirm");
        Assert.Contains("I couldn't confirm whether your earlier request went through: payment of $10.00 with MasterCard ending 5454.", PaymentText.Of(told), StringComparison.Ordinal);
        Assert.Empty(PaymentText.Ours(_host, Bob));
        Assert.Equal(AuditOutcome.Unknown, Assert.Single(await PaymentText.AuditAsync(_host, Bob)).Outcome);
    }

    [Fact]
    public async Task A_card_number_typed_at_the_amount_question_is_not_echoed_stored_or_logged()
    {
        await _chat.SayAsync("pay my bill");
        var replies = await _chat.SayAsync("my card is 4111 1111 1111 1111");
        Assert.DoesNotContain("4111", PaymentText.Of(replies), StringComparison.Ordinal);

        var stored = await StoredText.RowsAsync(_host.Storage);
        Assert.NotEmpty(stored);
        Assert.DoesNotContain(stored, row => Digits(row.Text).Contains("4111111111111111", StringComparison.Ordinal));
        Assert.DoesNotContain(_host.Logs.GetSnapshot(), line => Digits(line.Message + line.Exception).Contains("4111111111111111", StringComparison.Ordinal));
        Assert.Equal(0, PaymentText.Charges(_host));
    }

    private static string Digits(string text) => new([.. text.Where(char.IsAsciiDigit)]);

    private Task<IReadOnlyList<Activity>> PostAsync(string id, string text) => ApiMessages.PostAsync(_host, id, text);

    /// <summary>
    /// The tests that need other settings or services build a host of their own; here, in a class without a host
    /// field, they start that host only instead of the class's as well.
    /// </summary>
    public sealed class WithOwnHost
    {
        [Fact]
        public async Task A_process_killed_between_the_charge_and_the_state_save_charges_once_after_restart()
        {
            await using var host = new AssistantTestHost(services: services => services.AddCrashAfterWrite());
            await host.BindDirectlyAsync(new BindingKey(Channels.Webchat, "convo1", "user1"), "bob", "bob-demo-1");
            var chat = host.Conversation();
            await chat.SayAsync("pay $20");

            host.Services.GetRequiredService<CrashAfterWrite>().Armed = true;
            await Assert.ThrowsAsync<SimulatedCrashException>(() => chat.SayAsync("yes"));
            Assert.Single(PaymentText.Ours(host, Bob));

            // The process restarts; the channel sends the "yes" again in the same conversation.
            var restarted = host.Conversation();
            var text = PaymentText.Of(await restarted.SayAsync("yes"));
            Assert.Contains("Good news: your earlier request went through: payment of $20.00 with MasterCard ending 5454.", text, StringComparison.Ordinal);
            Assert.Single(PaymentText.Ours(host, Bob));
            Assert.Equal(1, PaymentText.Charges(host));
            Assert.Equal(AuditOutcome.Committed, Assert.Single(await PaymentText.AuditAsync(host, Bob)).Outcome);
        }
    }
}

/// <summary>What the payment tests read off the replies and the sandbox.</summary>
internal static class PaymentText
{
    /// <summary>The texts and the cards' JSON of <paramref name="replies"/>, one string.</summary>
    public static string Of(IEnumerable<Activity> replies)
    {
        var list = replies.ToList();
        return string.Join("\n", list.SelectMany(reply => reply.Attachments ?? []).Where(a => a.ContentType == ContentTypes.AdaptiveCard).Select(a => a.Content?.GetRawText() ?? string.Empty))
            + "\n" + string.Join("\n", AssistantConversation.Texts(list));
    }

    public static List<string> Buttons(IEnumerable<Activity> replies) =>
        [.. replies.Last(reply => reply.SuggestedActions?.Actions is { Count: > 0 }).SuggestedActions!.Actions!.Select(action => action.Title ?? string.Empty)];

    public static string PreviewIdOf(IEnumerable<Activity> replies)
    {
        var confirm = replies.Last(reply => reply.SuggestedActions?.Actions is { Count: > 0 }).SuggestedActions!.Actions!.First(action => action.Title == "Confirm");
        return confirm.Value!.Value.GetProperty("previewId").GetString()!;
    }

    /// <summary>The payments made in the test (the seed's history payments carry no receipt id).</summary>
    public static IReadOnlyList<LedgerTransaction> Ours(AssistantTestHost host, long accountNo) =>
        [.. host.Sandbox.Payments(accountNo).Where(payment => payment.ClientReceiptId is not null)];

    /// <summary>Charges sent to Aria (either call) and answered; an injected fault is not logged by the sandbox.</summary>
    public static int Charges(AssistantTestHost host) =>
        host.Sandbox.Calls.Count("collect_from_account_m") + host.Sandbox.Calls.Count("settle_account_balance_m");

    public static Task<IReadOnlyList<AuditEntry>> AuditAsync(AssistantTestHost host, long accountNo) =>
        host.Services.GetRequiredService<IAuditLog>().ReadAsync(accountNo);

    /// <summary>Adds a card to the account in the sandbox, in its first billing group (not primary).</summary>
    public static void AddCard(AssistantTestHost host, long accountNo, long paymentMethodNo, string suffix, CardBehaviour behaviour) => host.Sandbox.Write(state =>
    {
        var account = state.AccountByNo(accountNo);
        account.PaymentMethods.Add(new PaymentMethod
        {
            PaymentMethodNo = paymentMethodNo,
            Suffix = suffix,
            ExpireMonth = 8,
            ExpireYear = host.Time.GetUtcNow().Year + 3,
            CardType = "Visa",
            Name = $"Visa ending {suffix}",
            BillingGroupNo = account.BillingGroups[0].BillingGroupNo,
            Behaviour = behaviour,
        });
    });
}
