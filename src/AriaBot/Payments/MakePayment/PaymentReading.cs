using Aria.Client;
using Aria.Client.Models;
using BotRuntime.Builder;

namespace AriaBot.Payments.MakePayment;

/// <summary>
/// What a payment needs to know of the account, in two Aria calls: <c>get_acct_details_all_m</c> with the billing
/// groups (the balance, the currency, and which method is primary) and <c>get_acct_payment_methods_and_terms_m</c>.
/// The dialog reads it to ask for the amount and the method; the confirmation card needs the very same reading, so when
/// the card is shown in the turn that read it, the reading is handed on instead of being taken again (issue 22). A
/// reading from an earlier turn is never handed on: the customer may have paid elsewhere while they typed.
/// </summary>
public sealed record PaymentReading(long AccountNo, decimal Balance, string Currency, IReadOnlyList<PaymentMethodOnFile> Methods)
{
    private const string TurnStateKey = "AriaBot.Payments.PaymentReading";

    /// <summary>
    /// The reading handed to the confirmation's first preview. An <see cref="AsyncLocal{T}"/> because the shared
    /// <c>IPreviewedChange.PreviewAsync</c> has no turn: it flows only into the calls <see cref="HandOnAsync"/> awaits,
    /// so a later preview (a stale confirmation's refresh, a reprompt after sign-in) always reads Aria again.
    /// </summary>
    private static readonly AsyncLocal<PaymentReading?> Handed = new();

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

    /// <summary>Runs <paramref name="next"/> (the start of the confirmation) with <paramref name="reading"/> handed to its preview.</summary>
    public static async Task<T> HandOnAsync<T>(PaymentReading? reading, Func<Task<T>> next)
    {
        ArgumentNullException.ThrowIfNull(next);
        Handed.Value = reading;
        try
        {
            return await next().ConfigureAwait(false);
        }
        finally
        {
            Handed.Value = null;
        }
    }

    /// <summary>The reading handed on for <paramref name="accountNo"/>, if the caller is inside <see cref="HandOnAsync"/>.</summary>
    public static PaymentReading? HandedFor(long accountNo) => Handed.Value is { } reading && reading.AccountNo == accountNo ? reading : null;
}
