using Aria.Client;
using Aria.Client.Models;
using BotRuntime.Builder;

namespace AriaBot.Payments.MakePayment;

/// <summary>
/// What a payment needs to know of the account, in two Aria calls: <c>get_acct_details_all_m</c> with the billing
/// groups (the balance, the currency, and which method is primary) and <c>get_acct_payment_methods_and_terms_m</c>.
/// The dialog reads it to ask for the amount and the method; the confirmation card needs the very same reading, so when
/// the card is shown in the turn that read it, the reading is handed to the confirmation's first preview
/// (<c>ConfirmChangeOptions.ReadingOfThisTurn</c>) instead of being taken again (issue 22). A reading from an earlier
/// turn is never handed on: the customer may have paid elsewhere while they typed.
/// </summary>
public sealed record PaymentReading(long AccountNo, decimal Balance, string Currency, IReadOnlyList<PaymentMethodOnFile> Methods)
{
    private const string TurnStateKey = "AriaBot.Payments.PaymentReading";

    public static async Task<AriaResult<PaymentReading>> ReadAsync(IAriaClient aria, long accountNo, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(aria);
        var details = await aria.GetAcctDetailsAllAsync(new GetAcctDetailsAllMRequest { AcctNo = accountNo, IncludeBillingGroups = 1 }, cancellationToken).ConfigureAwait(false);
        if (!details.IsSuccess)
        {
            return AriaResult<PaymentReading>.Failure(details.Error!);
        }
        var methods = await PaymentMethodsOnFile.ReadAsync(aria, accountNo, details.Value!, cancellationToken).ConfigureAwait(false);
        if (!methods.IsSuccess)
        {
            return AriaResult<PaymentReading>.Failure(methods.Error!);
        }
        var currency = (details.Value!.AcctCurrency ?? "USD").ToUpperInvariant();
        return AriaResult<PaymentReading>.Success(new PaymentReading(accountNo, details.Value.AcctBalance ?? 0m, currency, methods.Value!));
    }

    /// <summary>Keeps the reading for the rest of this turn only (turn state is never stored).</summary>
    public void KeepForTurn(ITurnContext turn)
    {
        ArgumentNullException.ThrowIfNull(turn);
        turn.TurnState.Set(TurnStateKey, this);
    }

    /// <summary>The reading taken earlier in this same turn for <paramref name="accountNo"/>, or null.</summary>
    public static PaymentReading? OfTurn(ITurnContext turn, long accountNo)
    {
        ArgumentNullException.ThrowIfNull(turn);
        return turn.TurnState.Get<PaymentReading>(TurnStateKey) is { } reading && reading.AccountNo == accountNo ? reading : null;
    }
}
