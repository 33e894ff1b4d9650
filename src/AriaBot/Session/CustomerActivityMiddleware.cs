using BotRuntime.Builder;

namespace AriaBot.Session;

/// <summary>
/// Every message of a signed-in customer counts as activity, not only the turns that touch the account: before the
/// bot runs, the Aria session is extended when a keep-alive is due and the binding's sliding expiry is renewed
/// (<see cref="AccountSession.RecordCustomerTurnAsync"/>). Runs after <see cref="AriaCallLedgerMiddleware"/> (it is
/// registered after it), so the keep-alive is in the turn's ledger, first, before any validation.
/// </summary>
public sealed class CustomerActivityMiddleware(AccountSession accountSession) : BotRuntime.Builder.IMiddleware
{
    public async Task OnTurnAsync(ITurnContext turnContext, NextDelegate next, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(turnContext);
        ArgumentNullException.ThrowIfNull(next);
        await accountSession.RecordCustomerTurnAsync(turnContext, cancellationToken).ConfigureAwait(false);
        await next(cancellationToken).ConfigureAwait(false);
    }
}
