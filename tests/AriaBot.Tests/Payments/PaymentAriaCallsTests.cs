using AriaBot.Catalog;
using AriaBot.Session;
using Microsoft.Extensions.DependencyInjection;
using BotRuntime.Schema;

namespace AriaBot.Tests.Payments;

/// <summary>
/// The Aria calls of a one-time payment, by name and in order, from the sandbox's own call log (issue 22): the exact
/// list, so a new redundant call fails here, and the reads that guard the card's numbers (a reading from an earlier
/// turn, a stale confirmation) are proven to stay. Bob owes $38.00 on one MasterCard ending 5454.
/// </summary>
public sealed class PaymentAriaCallsTests : IAsyncLifetime
{
    private const long Bob = MakePaymentTests.Bob;

    private readonly AssistantTestHost _host = new();
    private AssistantConversation _chat = null!;

    public async Task InitializeAsync()
    {
        _chat = _host.Conversation();
        await _host.BindDirectlyAsync(new BindingKey(Channels.Webchat, "convo1", "user1"), "bob", "bob-demo-1");
        // The plan and item names free text is matched against are the understanding catalog's, read once per host
        // (at start-up in production) and not part of any payment: read them before counting the flow's calls.
        await _host.Services.GetRequiredService<IUnderstandingCatalog>().ItemsAsync(CancellationToken.None);
        _host.Sandbox.Calls.Clear();
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private string[] Calls() => [.. _host.Sandbox.Calls.All.Select(call => call.RestCall)];

    [Fact]
    public async Task Paying_a_stated_amount_takes_six_calls_one_reading_of_the_account_for_the_question_and_the_card()
    {
        var preview = PaymentText.Of(await _chat.SayAsync("pay $1"));
        Assert.Contains("Your balance afterwards: $37.00", preview, StringComparison.Ordinal);
        Assert.Equal(
            ["validate_session_m", "get_acct_details_all_m", "get_acct_payment_methods_and_terms_m", "get_acct_payment_history_m"],
            Calls());

        _host.Sandbox.Calls.Clear();
        Assert.Contains("went through", PaymentText.Of(await _chat.SayAsync("yes")), StringComparison.Ordinal);
        Assert.Equal(["validate_session_m", "collect_from_account_m"], Calls());
        Assert.Equal(37m, _host.Sandbox.Account(Bob).Balance);
    }

    [Fact]
    public async Task A_card_shown_a_turn_after_the_balance_was_read_reads_the_account_again_and_shows_the_balance_of_now()
    {
        Assert.Contains("Your balance due is $38.00.", PaymentText.Of(await _chat.SayAsync("pay my bill")), StringComparison.Ordinal);
        Assert.Equal(["validate_session_m", "get_acct_details_all_m", "get_acct_payment_methods_and_terms_m"], Calls());

        // Charged elsewhere while the customer typed the amount: the card must not show the first turn's balance.
        _host.Sandbox.Write(state => state.AccountByNo(Bob).Balance = 50m);
        _host.Sandbox.Calls.Clear();
        var preview = PaymentText.Of(await _chat.SayAsync("$1"));
        Assert.Contains("Your balance afterwards: $49.00", preview, StringComparison.Ordinal);
        Assert.Equal(
            ["validate_session_m", "get_acct_payment_history_m", "get_acct_details_all_m", "get_acct_payment_methods_and_terms_m"],
            Calls());
    }

    [Fact]
    public async Task A_stale_confirmation_reads_the_account_again_before_the_session_check_and_the_write()
    {
        await _chat.SayAsync("pay $1");
        _host.Time.Advance(TimeSpan.FromMinutes(11));
        _host.Sandbox.Calls.Clear();

        Assert.Contains("went through", PaymentText.Of(await _chat.SayAsync("yes")), StringComparison.Ordinal);
        // After the idle minutes the session is kept alive and checked at the turn's start (the session's own rule);
        // the card's numbers are then read again, and a validation is still the last call before the write.
        Assert.Equal(
            ["keep_alive_m", "validate_session_m", "get_acct_details_all_m", "get_acct_payment_methods_and_terms_m", "validate_session_m", "collect_from_account_m"],
            Calls());
    }
}
