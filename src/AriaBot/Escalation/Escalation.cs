using AriaBot.Conversation;
using AriaBot.Language;
using AriaBot.SelfService;
using BotRuntime.Builder;
using Microsoft.Extensions.Options;

namespace AriaBot.Escalation;

/// <summary>Why the conversation is being handed to a person.</summary>
public enum EscalationReason
{
    CustomerAsked,
    NotUnderstood,
    TooManyAttempts,
    /// <summary>A write whose outcome could not be proven: a person must check it.</summary>
    UnknownOutcome,
    /// <summary>The customer's words showed frustration (<c>Handoff:FrustrationWords</c>).</summary>
    Frustration,
    /// <summary>A payment was declined twice.</summary>
    PaymentDeclined,
}

/// <summary>
/// The seam for "talk to a person". The handoff feature replaces it with a live handoff to an agent; until
/// then the default tells the customer honestly how to reach support.
/// </summary>
public interface IEscalation
{
    Task EscalateAsync(ITurnContext turnContext, EscalationReason reason, CancellationToken cancellationToken);
}

/// <summary>No live agents: say how to reach support (phone, e-mail, hours, web), as the operator configured it.</summary>
public sealed class SupportContactEscalation(IWords words, IOptions<SelfServiceOptions> options) : IEscalation
{
    public async Task EscalateAsync(ITurnContext turnContext, EscalationReason reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turnContext);
        var locale = turnContext.Activity.Locale;
        var rules = options.Value.Escalation;
        List<string> lines = [words.Format(ShellWords.ContactSupport, locale)];
        if (!string.IsNullOrWhiteSpace(rules.SupportPhone))
        {
            lines.Add(words.Format(ShellWords.ContactPhone, locale, new { phone = rules.SupportPhone }));
        }
        if (!string.IsNullOrWhiteSpace(rules.SupportEmail))
        {
            lines.Add(words.Format(ShellWords.ContactEmail, locale, new { email = rules.SupportEmail }));
        }
        if (!string.IsNullOrWhiteSpace(rules.SupportHours))
        {
            lines.Add(words.Format(ShellWords.ContactHours, locale, new { hours = rules.SupportHours }));
        }
        if (!string.IsNullOrWhiteSpace(rules.SupportUrl))
        {
            lines.Add(words.Format(ShellWords.ContactUrl, locale, new { url = rules.SupportUrl }));
        }
        await turnContext.SendActivityAsync(string.Join('\n', lines), cancellationToken: cancellationToken).ConfigureAwait(false);
    }
}
