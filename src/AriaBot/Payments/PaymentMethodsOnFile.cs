using Aria.Client;
using Aria.Client.Models;

namespace AriaBot.Payments;

/// <summary>
/// One payment method on the account, as much as a customer may see of it: its type, the card brand, the last
/// digits and the expiry. Never more (no full number, no bank routing number) — this record is kept in dialog state.
/// </summary>
/// <param name="PaymentMethodNo">Aria's <c>payment_method_no</c>.</param>
/// <param name="PayMethodType">Aria's <c>pay_method_type</c> (1 card, 2 bank draft…).</param>
/// <param name="CardType">The card brand as Aria reports it (<c>cc_type</c>), when a card.</param>
/// <param name="Suffix">The last digits Aria reports (<c>suffix</c>).</param>
/// <param name="Expires">The card's expiry month, when a card.</param>
/// <param name="IsActive">Aria's <c>status</c> is 1 (not disabled).</param>
/// <param name="IsPrimary">The primary method of one of the account's billing groups.</param>
/// <param name="IsBackup">The backup method of one of the account's billing groups.</param>
public sealed record PaymentMethodOnFile(
    long PaymentMethodNo,
    long PayMethodType,
    string? CardType,
    string Suffix,
    (int Month, int Year)? Expires,
    bool IsActive,
    bool IsPrimary,
    bool IsBackup)
{
    public bool IsCard => PayMethodType == 1;

    /// <summary>Expired at the end of its expiry month, in UTC (Aria keeps no time zone for it).</summary>
    public bool IsExpired(DateTimeOffset now) =>
        Expires is { } expires && new DateOnly(expires.Year, expires.Month, 1).AddMonths(1) <= DateOnly.FromDateTime(now.UtcDateTime);

    /// <summary>What may be offered for a payment: active, not expired.</summary>
    public bool IsUsable(DateTimeOffset now) => IsActive && !IsExpired(now);
}

/// <summary>Reads the account's payment methods and which of them the billing groups use.</summary>
public static class PaymentMethodsOnFile
{
    /// <summary>
    /// The account's payment methods, primary first, then backups, then the rest (newest first). Only ever called with
    /// the account Aria validated this turn. Two reads: the methods (<c>get_acct_payment_methods_and_terms_m</c>) and
    /// the billing groups (<c>get_acct_details_all_m</c>), as only the latter says which method is primary.
    /// </summary>
    public static async Task<AriaResult<IReadOnlyList<PaymentMethodOnFile>>> ReadAsync(IAriaClient aria, long accountNo, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(aria);
        var methods = await aria.GetAcctPaymentMethodsAndTermsAsync(new GetAcctPaymentMethodsAndTermsMRequest { AcctNo = accountNo }, cancellationToken).ConfigureAwait(false);
        if (!methods.IsSuccess)
        {
            return AriaResult<IReadOnlyList<PaymentMethodOnFile>>.Failure(methods.Error);
        }
        var details = await aria.GetAcctDetailsAllAsync(new GetAcctDetailsAllMRequest { AcctNo = accountNo, IncludeBillingGroups = 1 }, cancellationToken).ConfigureAwait(false);
        if (!details.IsSuccess)
        {
            return AriaResult<IReadOnlyList<PaymentMethodOnFile>>.Failure(details.Error);
        }
        return AriaResult<IReadOnlyList<PaymentMethodOnFile>>.Success(Ordered(methods.Value, details.Value.BillingGroupsInfo));
    }

    /// <summary>
    /// The same list when the caller has already read <c>get_acct_details_all_m</c> with its billing groups (a payment
    /// needs the balance from it anyway): one read, the methods, instead of reading the account a second time.
    /// </summary>
    public static async Task<AriaResult<IReadOnlyList<PaymentMethodOnFile>>> ReadAsync(IAriaClient aria, long accountNo, GetAcctDetailsAllMResponse details, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(aria);
        ArgumentNullException.ThrowIfNull(details);
        var methods = await aria.GetAcctPaymentMethodsAndTermsAsync(new GetAcctPaymentMethodsAndTermsMRequest { AcctNo = accountNo }, cancellationToken).ConfigureAwait(false);
        return methods.IsSuccess
            ? AriaResult<IReadOnlyList<PaymentMethodOnFile>>.Success(Ordered(methods.Value, details.BillingGroupsInfo))
            : AriaResult<IReadOnlyList<PaymentMethodOnFile>>.Failure(methods.Error);
    }

    private static IReadOnlyList<PaymentMethodOnFile> Ordered(GetAcctPaymentMethodsAndTermsMResponse methods, List<BillingGroupsInfo>? billingGroups)
    {
        var groups = billingGroups ?? [];
        var primaries = groups.Select(group => group.PrimaryPaymentMethodNo).OfType<long>().ToHashSet();
        var backups = groups.Select(group => group.BackupPaymentMethodNo).OfType<long>().ToHashSet();
        return [.. (methods.AccountPaymentMethods ?? [])
            .Where(method => method.PaymentMethodNo is not null)
            .Select(method => new PaymentMethodOnFile(
                method.PaymentMethodNo!.Value,
                method.PayMethodType ?? 0,
                method.CcType,
                method.Suffix ?? string.Empty,
                method.CcExpireMm is { } month and >= 1 and <= 12 && method.CcExpireYyyy is { } year and >= 2000 and <= 9999 ? ((int)month, (int)year) : null,
                method.Status == 1,
                primaries.Contains(method.PaymentMethodNo.Value),
                backups.Contains(method.PaymentMethodNo.Value)))
            .OrderByDescending(method => method.IsPrimary)
            .ThenByDescending(method => method.IsBackup)
            .ThenByDescending(method => method.PaymentMethodNo)];
    }
}
