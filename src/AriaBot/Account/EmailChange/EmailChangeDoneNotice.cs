using AriaBot.Account.Contacts;
using AriaBot.Changes;

namespace AriaBot.Account.EmailChange;

/// <summary>
/// Tells the old address that the account e-mail was changed, when the write is known applied: at once, or later when
/// a lost reply or a crash is proven done by reconciliation (the customer's dialog may be long gone then). The addresses
/// come from the write record's expectation (old → new), the language from <see cref="EmailChanges.RememberWriteAsync"/>;
/// once per write (<see cref="EmailChanges.TellOldAddressDoneOnceAsync"/>).
/// </summary>
public sealed class EmailChangeDoneNotice(EmailChanges changes) : IWriteCommittedObserver
{
    public async Task OnCommittedAsync(WriteIntent intent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(intent);
        if (intent.Kind != UpdateContactChange.ChangeKind
            || ContactExpectation.From(intent.Expectation) is not { Kind: ContactKind.Account, Field: ContactField.Email, Old: { Length: > 0 } old, New: { Length: > 0 } @new })
        {
            return;
        }
        var locale = await changes.WriteLocaleAsync(intent.AccountNo, @new, cancellationToken).ConfigureAwait(false);
        await changes.TellOldAddressDoneOnceAsync(intent.Id, old, @new, locale, cancellationToken).ConfigureAwait(false);
    }
}
