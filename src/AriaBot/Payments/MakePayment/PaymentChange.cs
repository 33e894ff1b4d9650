using System.Globalization;
using Aria.Client;
using Aria.Client.Models;
using AriaBot.Changes;
using AriaBot.Language;

namespace AriaBot.Payments.MakePayment;

/// <summary>
/// A one-time payment as the confirmation turn runs it. Aria has no <c>do_write=false</c> for a payment, so the
/// "preview" is a fresh reading of the account — the balance now, the method still usable — from which the card shows
/// the exact amount, the method and the balance after (invariant 2); a stale confirmation reads it again, and changed
/// numbers are confirmed again. The first card, shown in the turn the dialog read the account, shows that reading
/// (<see cref="PreviewContext.ReadingOfThisTurn"/>) rather than reading the same account twice in one turn. The write is the identical request, once, through <see cref="ChangeWriter"/>.
/// </summary>
public abstract class PaymentChange<TRequest>(IAriaClient aria, IWords words, TimeProvider timeProvider) : IPreviewedChange
    where TRequest : AriaRequest
{
    public abstract string Kind { get; }

    public abstract string AriaCall { get; }

    protected IAriaClient Aria { get; } = aria;

    protected abstract long AccountOf(TRequest request);

    protected abstract long MethodOf(TRequest request);

    /// <summary>What this request will charge, given the balance now.</summary>
    protected abstract decimal AmountOf(TRequest request, decimal balance);

    protected abstract Task<AriaResult<PaymentResponse>> SendAsync(TRequest request, CancellationToken cancellationToken);

    public async Task<AriaResult<PreviewSummary>> PreviewAsync(System.Text.Json.JsonElement request, PreviewContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var typed = ChangeRequest.To<TRequest>(request);
        // Shown in the turn the dialog read the account, the card shows that reading (for this account only).
        var reading = context.ReadingOfThisTurn is PaymentReading ofThisTurn && ofThisTurn.AccountNo == AccountOf(typed) ? ofThisTurn : null;
        if (reading is null)
        {
            var read = await PaymentReading.ReadAsync(Aria, AccountOf(typed), cancellationToken).ConfigureAwait(false);
            if (!read.IsSuccess)
            {
                return AriaResult<PreviewSummary>.Failure(read.Error!);
            }
            reading = read.Value!;
        }
        var method = reading.Methods.FirstOrDefault(candidate => candidate.PaymentMethodNo == MethodOf(typed) && candidate.IsUsable(timeProvider.GetUtcNow()));
        if (method is null)
        {
            // Disabled or expired since it was chosen: Aria would refuse it the same way.
            return AriaResult<PreviewSummary>.Failure(AriaError.FromAria((long)AriaErrorCode.InvalidPayMethod, "the payment method is no longer usable"));
        }
        var balance = reading.Balance;
        var amount = AmountOf(typed, balance);
        var label = MethodLabel.Of(method, words, context.Locale);
        return AriaResult<PreviewSummary>.Success(new PreviewSummary
        {
            Currency = context.Currency,
            Lines = [new PreviewLine(words.Format(MakePaymentWords.CardLine, context.Locale, new { method = label }), amount)],
            Total = amount,
            Consequences = [words.Format(MakePaymentWords.CardBalanceAfter, context.Locale, new { balance = WordsFormat.Money(balance - amount, context.Currency, context.Locale) })],
        });
    }

    public async Task<AriaResult<ChangeApplied>> WriteAsync(System.Text.Json.JsonElement request, CancellationToken cancellationToken)
    {
        var reply = await SendAsync(ChangeRequest.To<TRequest>(request), cancellationToken).ConfigureAwait(false);
        if (!reply.IsSuccess)
        {
            return AriaResult<ChangeApplied>.Failure(reply.Error!);
        }
        // A decline may also come back inside an error_code 0 reply, as collection errors.
        if (reply.Value!.CollectionErrors?.FirstOrDefault(error => error.CollectionErrorCode is not (null or 0)) is { } collection)
        {
            return AriaResult<ChangeApplied>.Failure(AriaError.FromAria(collection.CollectionErrorCode!.Value, collection.CollectionErrorMsg));
        }
        return AriaResult<ChangeApplied>.Success(new ChangeApplied(reply.Value.TransactionId?.ToString(CultureInfo.InvariantCulture)));
    }
}

/// <summary><c>collect_from_account_m</c>: a chosen amount from a chosen method.</summary>
public sealed class CollectPaymentChange(IAriaClient aria, IWords words, TimeProvider timeProvider) : PaymentChange<CollectFromAccountMRequest>(aria, words, timeProvider)
{
    public const string ChangeKind = "collectPayment";

    public override string Kind => ChangeKind;

    public override string AriaCall => "collect_from_account_m";

    protected override long AccountOf(CollectFromAccountMRequest request) => request.AcctNo!.Value;

    protected override long MethodOf(CollectFromAccountMRequest request) => request.PaymentMethodNo!.Value;

    protected override decimal AmountOf(CollectFromAccountMRequest request, decimal balance) => request.AmountToCollect!.Value;

    protected override async Task<AriaResult<PaymentResponse>> SendAsync(CollectFromAccountMRequest request, CancellationToken cancellationToken)
    {
        var reply = await Aria.CollectFromAccountAsync(request, cancellationToken).ConfigureAwait(false);
        return reply.IsSuccess ? AriaResult<PaymentResponse>.Success(reply.Value!) : AriaResult<PaymentResponse>.Failure(reply.Error!);
    }
}

/// <summary>
/// <c>settle_account_balance_m</c>: the whole balance. It charges the balance at the moment of the write; the card
/// showed the balance of its reading, which a confirmation older than <c>SelfService:PreviewFreshness</c> reads again.
/// </summary>
public sealed class SettleBalanceChange(IAriaClient aria, IWords words, TimeProvider timeProvider) : PaymentChange<SettleAccountBalanceMRequest>(aria, words, timeProvider)
{
    public const string ChangeKind = "settleBalance";

    public override string Kind => ChangeKind;

    public override string AriaCall => "settle_account_balance_m";

    protected override long AccountOf(SettleAccountBalanceMRequest request) => request.AcctNo!.Value;

    protected override long MethodOf(SettleAccountBalanceMRequest request) => request.PaymentMethodNo!.Value;

    protected override decimal AmountOf(SettleAccountBalanceMRequest request, decimal balance) => balance;

    protected override async Task<AriaResult<PaymentResponse>> SendAsync(SettleAccountBalanceMRequest request, CancellationToken cancellationToken)
    {
        var reply = await Aria.SettleAccountBalanceAsync(request, cancellationToken).ConfigureAwait(false);
        return reply.IsSuccess ? AriaResult<PaymentResponse>.Success(reply.Value!) : AriaResult<PaymentResponse>.Failure(reply.Error!);
    }
}

/// <summary>How a method on file is named to the customer: "Visa ending 4242", "Bank account ending 6789". Never more.</summary>
public static class MethodLabel
{
    public static string Of(PaymentMethodOnFile method, IWords words, string? locale)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(words);
        return method.IsCard
            ? words.Format(MakePaymentWords.CardMethod, locale, new { brand = method.CardType ?? words.Format(MakePaymentWords.CardBrandUnknown, locale), suffix = method.Suffix })
            : words.Format(MakePaymentWords.BankMethod, locale, new { suffix = method.Suffix });
    }
}
