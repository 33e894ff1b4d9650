using System.Text.Json;
using Aria.Client;
using Aria.Client.Models;
using AriaBot.Changes;
using AriaBot.Language;
using Microsoft.Extensions.Logging;

namespace AriaBot.Account.Contacts;

/// <summary>
/// A contact update as the confirmation turn runs it. Aria has no <c>do_write=false</c> for <c>update_contact_m</c>,
/// so the "preview" only reads the contact (<c>get_acct_contacts_m</c>) and shows the detail old → new; nothing is
/// written until the yes. Running it through <see cref="ConfirmChangeDialog"/> gives it the shared buttons, the
/// refresh of a stale card, the session check last, the write ledger, one audit row and reconciliation.
/// </summary>
public sealed class UpdateContactChange(IAriaClient aria, IWords words) : IPreviewedChange
{
    public const string ChangeKind = "updateContact";

    public string Kind => ChangeKind;

    public string AriaCall => "update_contact_m";

    public async Task<AriaResult<PreviewSummary>> PreviewAsync(JsonElement request, PreviewContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var typed = ContactRequest.Of(request);
        var (kind, field, value) = ContactRequest.Describe(typed);
        var now = await ContactOnFile.ReadAsync(aria, typed.AcctNo!.Value, kind, typed.BillingGroupNo, cancellationToken).ConfigureAwait(false);
        if (!now.IsSuccess)
        {
            return AriaResult<PreviewSummary>.Failure(now.Error!);
        }
        return AriaResult<PreviewSummary>.Success(new PreviewSummary
        {
            Currency = context.Currency,
            Lines = [],
            Total = 0m,
            Fields = [new PreviewField(words.Format(ContactWords.FieldLabel(field), context.Locale), now.Value!.Value(field), value)],
        });
    }

    public async Task<AriaResult<ChangeApplied>> WriteAsync(JsonElement request, CancellationToken cancellationToken)
    {
        var reply = await aria.UpdateContactAsync(ContactRequest.Of(request), cancellationToken).ConfigureAwait(false);
        return reply.IsSuccess ? AriaResult<ChangeApplied>.Success(new ChangeApplied()) : AriaResult<ChangeApplied>.Failure(reply.Error!);
    }

    /// <summary>
    /// Unchanged: <c>update_contact_m</c> documents no <c>client_receipt_id</c> (release-19 Swagger), so none is sent. The
    /// receipt id still names the write record; exactly-once rests on the ledger and on reading the contact back.
    /// </summary>
    public JsonElement WithReceiptId(JsonElement request, string receiptId) => request;
}

/// <summary>
/// Settles a contact update whose reply was lost by reading the contact: the new value there → done; the old value
/// still there → not done; anything else (changed meanwhile, Aria unavailable) → unknown. Never retried.
/// </summary>
public sealed partial class UpdateContactReconciler(IAriaClient aria, ILogger<UpdateContactReconciler> logger) : IWriteReconciler
{
    public string Kind => UpdateContactChange.ChangeKind;

    public async Task<ReconciledOutcome> ReconcileAsync(WriteIntent intent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(intent);
        if (ContactExpectation.From(intent.Expectation) is not { } expected)
        {
            return ReconciledOutcome.Unknown;
        }
        var now = await ContactOnFile.ReadAsync(aria, intent.AccountNo, expected.Kind, expected.BillingGroupNo, cancellationToken).ConfigureAwait(false);
        if (!now.IsSuccess)
        {
            return ReconciledOutcome.Unknown;
        }
        var value = now.Value!.Value(expected.Field);
        var outcome = string.Equals(value, expected.New, StringComparison.Ordinal) ? ReconciledOutcome.Committed
            : string.Equals(value ?? string.Empty, expected.Old ?? string.Empty, StringComparison.Ordinal) ? ReconciledOutcome.NotApplied
            : ReconciledOutcome.Unknown;
        LogReconciled(logger, expected.Kind, expected.Field, outcome);
        return outcome;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "A {Kind} contact {Field} update whose reply was lost read back as {Outcome}")]
    private static partial void LogReconciled(ILogger logger, ContactKind kind, ContactField field, ReconciledOutcome outcome);
}
