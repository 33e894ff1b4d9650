using Aria.Client.Models;
using Microsoft.Extensions.Logging;

namespace Aria.Client;

/// <summary>The <see cref="IAriaClient"/> over the Refit <see cref="IAriaCoreApi"/>.</summary>
public sealed partial class AriaClient(IAriaCoreApi api, ILogger<AriaClient> logger) : IAriaClient
{
    public Task<AriaResult<SetSessionAuthMResponse>> SetSessionAuthAsync(SetSessionAuthMRequest request, CancellationToken cancellationToken = default) =>
        SendAsync(request, api.SetSessionAuthAsync, cancellationToken);

    public Task<AriaResult<SetSessionMResponse>> SetSessionAsync(SetSessionMRequest request, CancellationToken cancellationToken = default) =>
        SendAsync(request, api.SetSessionAsync, cancellationToken);

    public Task<AriaResult<ValidateSessionMResponse>> ValidateSessionAsync(ValidateSessionMRequest request, CancellationToken cancellationToken = default) =>
        SendAsync(request, api.ValidateSessionAsync, cancellationToken);

    public Task<AriaResult<KeepAliveMResponse>> KeepAliveAsync(KeepAliveMRequest request, CancellationToken cancellationToken = default) =>
        SendAsync(request, api.KeepAliveAsync, cancellationToken);

    public Task<AriaResult<KillSessionMResponse>> KillSessionAsync(KillSessionMRequest request, CancellationToken cancellationToken = default) =>
        SendAsync(request, api.KillSessionAsync, cancellationToken);

    public Task<AriaResult<GetAcctDetailsAllMResponse>> GetAcctDetailsAllAsync(GetAcctDetailsAllMRequest request, CancellationToken cancellationToken = default) =>
        SendAsync(request, api.GetAcctDetailsAllAsync, cancellationToken);

    public Task<AriaResult<GetAcctPlansMResponse>> GetAcctPlansAsync(GetAcctPlansMRequest request, CancellationToken cancellationToken = default) =>
        SendAsync(request, api.GetAcctPlansAsync, cancellationToken);

    public Task<AriaResult<GetClientPlansBasicMResponse>> GetClientPlansBasicAsync(GetClientPlansBasicMRequest request, CancellationToken cancellationToken = default) =>
        SendAsync(request, api.GetClientPlansBasicAsync, cancellationToken);

    public Task<AriaResult<GetAvailPlansForAcctMResponse>> GetAvailPlansForAcctAsync(GetAvailPlansForAcctMRequest request, CancellationToken cancellationToken = default) =>
        SendAsync(request, api.GetAvailPlansForAcctAsync, cancellationToken);

    public Task<AriaResult<GetRateSchedulesForPlanMResponse>> GetRateSchedulesForPlanAsync(GetRateSchedulesForPlanMRequest request, CancellationToken cancellationToken = default) =>
        SendAsync(request, api.GetRateSchedulesForPlanAsync, cancellationToken);

    public Task<AriaResult<ReplaceAcctPlanMResponse>> ReplaceAcctPlanAsync(ReplaceAcctPlanMRequest request, CancellationToken cancellationToken = default) =>
        SendAsync(request, api.ReplaceAcctPlanAsync, cancellationToken);

    public Task<AriaResult<AssignAcctPlanMResponse>> AssignAcctPlanAsync(AssignAcctPlanMRequest request, CancellationToken cancellationToken = default) =>
        SendAsync(request, api.AssignAcctPlanAsync, cancellationToken);

    public Task<AriaResult<UpdateAcctPlanMResponse>> UpdateAcctPlanAsync(UpdateAcctPlanMRequest request, CancellationToken cancellationToken = default) =>
        SendAsync(request, api.UpdateAcctPlanAsync, cancellationToken);

    public Task<AriaResult<CancelAcctPlanMResponse>> CancelAcctPlanAsync(CancelAcctPlanMRequest request, CancellationToken cancellationToken = default) =>
        SendAsync(request, api.CancelAcctPlanAsync, cancellationToken);

    public Task<AriaResult<CollectFromAccountMResponse>> CollectFromAccountAsync(CollectFromAccountMRequest request, CancellationToken cancellationToken = default) =>
        SendAsync(request, api.CollectFromAccountAsync, cancellationToken);

    public Task<AriaResult<SettleAccountBalanceMResponse>> SettleAccountBalanceAsync(SettleAccountBalanceMRequest request, CancellationToken cancellationToken = default) =>
        SendAsync(request, api.SettleAccountBalanceAsync, cancellationToken);

    public Task<AriaResult<GetAcctPaymentMethodsAndTermsMResponse>> GetAcctPaymentMethodsAndTermsAsync(GetAcctPaymentMethodsAndTermsMRequest request, CancellationToken cancellationToken = default) =>
        SendAsync(request, api.GetAcctPaymentMethodsAndTermsAsync, cancellationToken);

    public Task<AriaResult<UpdatePaymentMethodMResponse>> UpdatePaymentMethodAsync(UpdatePaymentMethodMRequest request, CancellationToken cancellationToken = default) =>
        SendAsync(request, api.UpdatePaymentMethodAsync, cancellationToken);

    public Task<AriaResult<GetAcctPaymentHistoryMResponse>> GetAcctPaymentHistoryAsync(GetAcctPaymentHistoryMRequest request, CancellationToken cancellationToken = default) =>
        SendAsync(request, api.GetAcctPaymentHistoryAsync, cancellationToken);

    public Task<AriaResult<GetAllAcctReceiptIdsMResponse>> GetAllAcctReceiptIdsAsync(GetAllAcctReceiptIdsMRequest request, CancellationToken cancellationToken = default) =>
        SendAsync(request, api.GetAllAcctReceiptIdsAsync, cancellationToken);

    public Task<AriaResult<GetAllActionsByReceiptIdMResponse>> GetAllActionsByReceiptIdAsync(GetAllActionsByReceiptIdMRequest request, CancellationToken cancellationToken = default) =>
        SendAsync(request, api.GetAllActionsByReceiptIdAsync, cancellationToken);

    public Task<AriaResult<GetAcctContactsMResponse>> GetAcctContactsAsync(GetAcctContactsMRequest request, CancellationToken cancellationToken = default) =>
        SendAsync(request, api.GetAcctContactsAsync, cancellationToken);

    public Task<AriaResult<UpdateContactMResponse>> UpdateContactAsync(UpdateContactMRequest request, CancellationToken cancellationToken = default) =>
        SendAsync(request, api.UpdateContactAsync, cancellationToken);

    public Task<AriaResult<GetAcctStatementHistoryMResponse>> GetAcctStatementHistoryAsync(GetAcctStatementHistoryMRequest request, CancellationToken cancellationToken = default) =>
        SendAsync(request, api.GetAcctStatementHistoryAsync, cancellationToken);

    public Task<AriaResult<GetStatementForInvoiceMResponse>> GetStatementForInvoiceAsync(GetStatementForInvoiceMRequest request, CancellationToken cancellationToken = default) =>
        SendAsync(request, api.GetStatementForInvoiceAsync, cancellationToken);

    public Task<AriaResult<GetAcctTransHistoryMResponse>> GetAcctTransHistoryAsync(GetAcctTransHistoryMRequest request, CancellationToken cancellationToken = default) =>
        SendAsync(request, api.GetAcctTransHistoryAsync, cancellationToken);

    public Task<AriaResult<GetInvoiceHistoryMResponse>> GetInvoiceHistoryAsync(GetInvoiceHistoryMRequest request, CancellationToken cancellationToken = default) =>
        SendAsync(request, api.GetInvoiceHistoryAsync, cancellationToken);

    public Task<AriaResult<GetInvoiceDetailsMResponse>> GetInvoiceDetailsAsync(GetInvoiceDetailsMRequest request, CancellationToken cancellationToken = default) =>
        SendAsync(request, api.GetInvoiceDetailsAsync, cancellationToken);

    public Task<AriaResult<GetOrderMResponse>> GetOrderAsync(GetOrderMRequest request, CancellationToken cancellationToken = default) =>
        SendAsync(request, api.GetOrderAsync, cancellationToken);

    public Task<AriaResult<GetClientItemsAllMResponse>> GetClientItemsAllAsync(GetClientItemsAllMRequest request, CancellationToken cancellationToken = default) =>
        SendAsync(request, api.GetClientItemsAllAsync, cancellationToken);

    public Task<AriaResult<CreateOrderMResponse>> CreateOrderAsync(CreateOrderMRequest request, CancellationToken cancellationToken = default) =>
        SendAsync(request, api.CreateOrderAsync, cancellationToken);

    public Task<AriaResult<GetAcctNoFromUserIdMResponse>> GetAcctNoFromUserIdAsync(GetAcctNoFromUserIdMRequest request, CancellationToken cancellationToken = default) =>
        SendAsync(request, api.GetAcctNoFromUserIdAsync, cancellationToken);

    public Task<AriaResult<UpdateAcctCredentialsMResponse>> UpdateAcctCredentialsAsync(UpdateAcctCredentialsMRequest request, CancellationToken cancellationToken = default) =>
        SendAsync(request, api.UpdateAcctCredentialsAsync, cancellationToken);
}
