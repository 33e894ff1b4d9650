using AriaBot.Privacy;
using BotRuntime.Builder;
using Microsoft.Extensions.Options;

namespace AriaBot.Handoff;

/// <summary>
/// While a case is open, a customer message the "code first" rule held back (it never reaches <see cref="HandoffMiddleware"/>)
/// joins the case as <see cref="WithheldMessages.Placeholder"/>: the agent knows the customer said something and why the
/// assistant answered, and reads nothing of it. (Before the handoff, the transcript already holds the placeholder.)
/// </summary>
public sealed class HandoffWithheldLines(HandoffStore store, IOptionsMonitor<HandoffOptions> options, TimeProvider timeProvider) : IWithheldMessageObserver
{
    public async Task OnWithheldAsync(ITurnContext turnContext, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turnContext);
        var activity = turnContext.Activity;
        if (!options.CurrentValue.Enabled || activity.Conversation?.IsGroup == true)
        {
            return;
        }
        var open = await store.ActiveAsync(activity.ConversationKey, cancellationToken).ConfigureAwait(false);
        if (open is null || activity.From?.Id != open.CustomerId)
        {
            return;
        }
        var now = timeProvider.GetUtcNow();
        await store.UpdateAsync(open.Id, handoff =>
        {
            if (!handoff.IsOpen)
            {
                return CaseChange.Keep;
            }
            handoff.Messages.Add(new HandoffLine { At = now, From = "customer", Text = WithheldMessages.Placeholder });
            return CaseChange.Write;
        }, cancellationToken).ConfigureAwait(false);
    }
}
