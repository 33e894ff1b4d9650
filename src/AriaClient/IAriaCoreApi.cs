using Aria.Client.Models;
using Refit;

namespace Aria.Client;

/// <summary>
/// The Refit interface for Aria's core API. Every call is a POST of the request body to <c>/v1/core</c>;
/// <see cref="Http.AriaRequestHandler"/> adds the credentials and, on the form transport, re-encodes
/// the body for the dispatcher. Use <see cref="IAriaClient"/> rather than this: it turns error codes
/// and transport failures into results.
/// </summary>
public interface IAriaCoreApi
{
    [Post(AriaPaths.Core)]
    Task<IApiResponse<SetSessionAuthMResponse>> SetSessionAuthAsync([Body] SetSessionAuthMRequest request, CancellationToken cancellationToken = default);

    [Post(AriaPaths.Core)]
    Task<IApiResponse<SetSessionMResponse>> SetSessionAsync([Body] SetSessionMRequest request, CancellationToken cancellationToken = default);

    [Post(AriaPaths.Core)]
    Task<IApiResponse<ValidateSessionMResponse>> ValidateSessionAsync([Body] ValidateSessionMRequest request, CancellationToken cancellationToken = default);

    [Post(AriaPaths.Core)]
    Task<IApiResponse<KeepAliveMResponse>> KeepAliveAsync([Body] KeepAliveMRequest request, CancellationToken cancellationToken = default);

    [Post(AriaPaths.Core)]
    Task<IApiResponse<KillSessionMResponse>> KillSessionAsync([Body] KillSessionMRequest request, CancellationToken cancellationToken = default);

    [Post(AriaPaths.Core)]
    Task<IApiResponse<GetAcctDetailsAllMResponse>> GetAcctDetailsAllAsync([Body] GetAcctDetailsAllMRequest request, CancellationToken cancellationToken = default);

    [Post(AriaPaths.Core)]
    Task<IApiResponse<GetAcctPlansMResponse>> GetAcctPlansAsync([Body] GetAcctPlansMRequest request, CancellationToken cancellationToken = default);

    [Post(AriaPaths.Core)]
    Task<IApiResponse<GetClientPlansBasicMResponse>> GetClientPlansBasicAsync([Body] GetClientPlansBasicMRequest request, CancellationToken cancellationToken = default);

    [Post(AriaPaths.Core)]
    Task<IApiResponse<GetAvailPlansForAcctMResponse>> GetAvailPlansForAcctAsync([Body] GetAvailPlansForAcctMRequest request, CancellationToken cancellationToken = default);

    [Post(AriaPaths.Core)]
    Task<IApiResponse<GetRateSchedulesForPlanMResponse>> GetRateSchedulesForPlanAsync([Body] GetRateSchedulesForPlanMRequest request, CancellationToken cancellationToken = default);

    [Post(AriaPaths.Core)]
    Task<IApiResponse<ReplaceAcctPlanMResponse>> ReplaceAcctPlanAsync([Body] ReplaceAcctPlanMRequest request, CancellationToken cancellationToken = default);

    [Post(AriaPaths.Core)]
    Task<IApiResponse<AssignAcctPlanMResponse>> AssignAcctPlanAsync([Body] AssignAcctPlanMRequest request, CancellationToken cancellationToken = default);

    [Post(AriaPaths.Core)]
    Task<IApiResponse<UpdateAcctPlanMResponse>> UpdateAcctPlanAsync([Body] UpdateAcctPlanMRequest request, CancellationToken cancellationToken = default);

    [Post(AriaPaths.Core)]
    Task<IApiResponse<CancelAcctPlanMResponse>> CancelAcctPlanAsync([Body] CancelAcctPlanMRequest request, CancellationToken cancellationToken = default);

    [Post(AriaPaths.Core)]
    Task<IApiResponse<CollectFromAccountMResponse>> CollectFromAccountAsync([Body] CollectFromAccountMRequest request, CancellationToken cancellationToken = default);

    [Post(AriaPaths.Core)]
    Task<IApiResponse<SettleAccountBalanceMResponse>> SettleAccountBalanceAsync([Body] SettleAccountBalanceMRequest request, CancellationToken cancellationToken = default);

    [Post(AriaPaths.Core)]
    Task<IApiResponse<GetAcctPaymentMethodsAndTermsMResponse>> GetAcctPaymentMethodsAndTermsAsync([Body] GetAcctPaymentMethodsAndTermsMRequest request, CancellationToken cancellationToken = default);

    [Post(AriaPaths.Core)]
    Task<IApiResponse<UpdatePaymentMethodMResponse>> UpdatePaymentMethodAsync([Body] UpdatePaymentMethodMRequest request, CancellationToken cancellationToken = default);

    [Post(AriaPaths.Core)]
    Task<IApiResponse<GetAcctPaymentHistoryMResponse>> GetAcctPaymentHistoryAsync([Body] GetAcctPaymentHistoryMRequest request, CancellationToken cancellationToken = default);

    [Post(AriaPaths.Core)]
    Task<IApiResponse<GetAllAcctReceiptIdsMResponse>> GetAllAcctReceiptIdsAsync([Body] GetAllAcctReceiptIdsMRequest request, CancellationToken cancellationToken = default);

    [Post(AriaPaths.Core)]
    Task<IApiResponse<GetAllActionsByReceiptIdMResponse>> GetAllActionsByReceiptIdAsync([Body] GetAllActionsByReceiptIdMRequest request, CancellationToken cancellationToken = default);

    [Post(AriaPaths.Core)]
    Task<IApiResponse<GetAcctContactsMResponse>> GetAcctContactsAsync([Body] GetAcctContactsMRequest request, CancellationToken cancellationToken = default);

    [Post(AriaPaths.Core)]
    Task<IApiResponse<UpdateContactMResponse>> UpdateContactAsync([Body] UpdateContactMRequest request, CancellationToken cancellationToken = default);

    [Post(AriaPaths.Core)]
    Task<IApiResponse<GetAcctStatementHistoryMResponse>> GetAcctStatementHistoryAsync([Body] GetAcctStatementHistoryMRequest request, CancellationToken cancellationToken = default);

    [Post(AriaPaths.Core)]
    Task<IApiResponse<GetStatementForInvoiceMResponse>> GetStatementForInvoiceAsync([Body] GetStatementForInvoiceMRequest request, CancellationToken cancellationToken = default);

    [Post(AriaPaths.Core)]
    Task<IApiResponse<GetAcctTransHistoryMResponse>> GetAcctTransHistoryAsync([Body] GetAcctTransHistoryMRequest request, CancellationToken cancellationToken = default);

    [Post(AriaPaths.Core)]
    Task<IApiResponse<GetInvoiceHistoryMResponse>> GetInvoiceHistoryAsync([Body] GetInvoiceHistoryMRequest request, CancellationToken cancellationToken = default);

    [Post(AriaPaths.Core)]
    Task<IApiResponse<GetInvoiceDetailsMResponse>> GetInvoiceDetailsAsync([Body] GetInvoiceDetailsMRequest request, CancellationToken cancellationToken = default);

    [Post(AriaPaths.Core)]
    Task<IApiResponse<GetOrderMResponse>> GetOrderAsync([Body] GetOrderMRequest request, CancellationToken cancellationToken = default);

    [Post(AriaPaths.Core)]
    Task<IApiResponse<GetClientItemsAllMResponse>> GetClientItemsAllAsync([Body] GetClientItemsAllMRequest request, CancellationToken cancellationToken = default);

    [Post(AriaPaths.Core)]
    Task<IApiResponse<CreateOrderMResponse>> CreateOrderAsync([Body] CreateOrderMRequest request, CancellationToken cancellationToken = default);

    [Post(AriaPaths.Core)]
    Task<IApiResponse<GetAcctNoFromUserIdMResponse>> GetAcctNoFromUserIdAsync([Body] GetAcctNoFromUserIdMRequest request, CancellationToken cancellationToken = default);

    [Post(AriaPaths.Core)]
    Task<IApiResponse<UpdateAcctCredentialsMResponse>> UpdateAcctCredentialsAsync([Body] UpdateAcctCredentialsMRequest request, CancellationToken cancellationToken = default);
}
