using Aria.Client.Models;

namespace Aria.Client;

/// <summary>
/// Aria's core API as results: each call returns the reply on <c>error_code</c> 0, or an
/// <see cref="AriaError"/> carrying Aria's code and message, or <see cref="AriaErrorKind.Unavailable"/>
/// when Aria could not be reached in time (timeout, circuit open, 5xx after retries). Nothing here
/// throws for an expected failure; only the caller's own cancellation surfaces as an exception.
/// <c>client_no</c> and <c>auth_key</c> are added for you.
/// </summary>
public interface IAriaClient
{
    Task<AriaResult<SetSessionAuthMResponse>> SetSessionAuthAsync(SetSessionAuthMRequest request, CancellationToken cancellationToken = default);

    Task<AriaResult<SetSessionMResponse>> SetSessionAsync(SetSessionMRequest request, CancellationToken cancellationToken = default);

    Task<AriaResult<ValidateSessionMResponse>> ValidateSessionAsync(ValidateSessionMRequest request, CancellationToken cancellationToken = default);

    Task<AriaResult<KeepAliveMResponse>> KeepAliveAsync(KeepAliveMRequest request, CancellationToken cancellationToken = default);

    Task<AriaResult<KillSessionMResponse>> KillSessionAsync(KillSessionMRequest request, CancellationToken cancellationToken = default);

    Task<AriaResult<GetAcctDetailsAllMResponse>> GetAcctDetailsAllAsync(GetAcctDetailsAllMRequest request, CancellationToken cancellationToken = default);

    Task<AriaResult<GetAcctPlansMResponse>> GetAcctPlansAsync(GetAcctPlansMRequest request, CancellationToken cancellationToken = default);

    Task<AriaResult<GetClientPlansBasicMResponse>> GetClientPlansBasicAsync(GetClientPlansBasicMRequest request, CancellationToken cancellationToken = default);

    Task<AriaResult<GetAvailPlansForAcctMResponse>> GetAvailPlansForAcctAsync(GetAvailPlansForAcctMRequest request, CancellationToken cancellationToken = default);

    Task<AriaResult<GetRateSchedulesForPlanMResponse>> GetRateSchedulesForPlanAsync(GetRateSchedulesForPlanMRequest request, CancellationToken cancellationToken = default);

    Task<AriaResult<ReplaceAcctPlanMResponse>> ReplaceAcctPlanAsync(ReplaceAcctPlanMRequest request, CancellationToken cancellationToken = default);

    Task<AriaResult<AssignAcctPlanMResponse>> AssignAcctPlanAsync(AssignAcctPlanMRequest request, CancellationToken cancellationToken = default);

    Task<AriaResult<UpdateAcctPlanMResponse>> UpdateAcctPlanAsync(UpdateAcctPlanMRequest request, CancellationToken cancellationToken = default);

    Task<AriaResult<CancelAcctPlanMResponse>> CancelAcctPlanAsync(CancelAcctPlanMRequest request, CancellationToken cancellationToken = default);

    Task<AriaResult<CollectFromAccountMResponse>> CollectFromAccountAsync(CollectFromAccountMRequest request, CancellationToken cancellationToken = default);

    Task<AriaResult<SettleAccountBalanceMResponse>> SettleAccountBalanceAsync(SettleAccountBalanceMRequest request, CancellationToken cancellationToken = default);

    Task<AriaResult<GetAcctPaymentMethodsAndTermsMResponse>> GetAcctPaymentMethodsAndTermsAsync(GetAcctPaymentMethodsAndTermsMRequest request, CancellationToken cancellationToken = default);

    Task<AriaResult<UpdatePaymentMethodMResponse>> UpdatePaymentMethodAsync(UpdatePaymentMethodMRequest request, CancellationToken cancellationToken = default);

    Task<AriaResult<GetAcctPaymentHistoryMResponse>> GetAcctPaymentHistoryAsync(GetAcctPaymentHistoryMRequest request, CancellationToken cancellationToken = default);

    /// <summary>The receipt ids Aria recorded for an account (unverified against Aria: which writes are listed).</summary>
    Task<AriaResult<GetAllAcctReceiptIdsMResponse>> GetAllAcctReceiptIdsAsync(GetAllAcctReceiptIdsMRequest request, CancellationToken cancellationToken = default);

    /// <summary>What Aria did under one receipt id (unverified against Aria: the labels a payment's actions carry).</summary>
    Task<AriaResult<GetAllActionsByReceiptIdMResponse>> GetAllActionsByReceiptIdAsync(GetAllActionsByReceiptIdMRequest request, CancellationToken cancellationToken = default);

    Task<AriaResult<GetAcctContactsMResponse>> GetAcctContactsAsync(GetAcctContactsMRequest request, CancellationToken cancellationToken = default);

    Task<AriaResult<UpdateContactMResponse>> UpdateContactAsync(UpdateContactMRequest request, CancellationToken cancellationToken = default);

    Task<AriaResult<GetAcctStatementHistoryMResponse>> GetAcctStatementHistoryAsync(GetAcctStatementHistoryMRequest request, CancellationToken cancellationToken = default);

    Task<AriaResult<GetStatementForInvoiceMResponse>> GetStatementForInvoiceAsync(GetStatementForInvoiceMRequest request, CancellationToken cancellationToken = default);

    Task<AriaResult<GetAcctTransHistoryMResponse>> GetAcctTransHistoryAsync(GetAcctTransHistoryMRequest request, CancellationToken cancellationToken = default);

    Task<AriaResult<GetInvoiceHistoryMResponse>> GetInvoiceHistoryAsync(GetInvoiceHistoryMRequest request, CancellationToken cancellationToken = default);

    Task<AriaResult<GetInvoiceDetailsMResponse>> GetInvoiceDetailsAsync(GetInvoiceDetailsMRequest request, CancellationToken cancellationToken = default);

    Task<AriaResult<GetOrderMResponse>> GetOrderAsync(GetOrderMRequest request, CancellationToken cancellationToken = default);

    Task<AriaResult<GetClientItemsAllMResponse>> GetClientItemsAllAsync(GetClientItemsAllMRequest request, CancellationToken cancellationToken = default);

    Task<AriaResult<CreateOrderMResponse>> CreateOrderAsync(CreateOrderMRequest request, CancellationToken cancellationToken = default);

    Task<AriaResult<GetAcctNoFromUserIdMResponse>> GetAcctNoFromUserIdAsync(GetAcctNoFromUserIdMRequest request, CancellationToken cancellationToken = default);

    Task<AriaResult<UpdateAcctCredentialsMResponse>> UpdateAcctCredentialsAsync(UpdateAcctCredentialsMRequest request, CancellationToken cancellationToken = default);
}
