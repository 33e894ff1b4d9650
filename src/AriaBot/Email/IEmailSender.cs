namespace AriaBot.Email;

/// <summary>
/// One e-mail to one customer: a localized subject and the same words as plain text and as HTML. The HTML has no
/// remote images and no tracking; it is built by the caller from encoded text, never from what a customer typed as
/// markup.
/// </summary>
/// <param name="To">The recipient's address, from Aria's contact record (never one typed in chat and not yet verified).</param>
/// <param name="Subject">The subject line, already localized.</param>
/// <param name="PlainText">The plain-text body.</param>
/// <param name="Html">The HTML body.</param>
/// <param name="Purpose">What the message is for (for example <c>password-reset-code</c>): the only part of it a log or the audit may name.</param>
public sealed record EmailMessage(string To, string Subject, string PlainText, string Html, string Purpose);

/// <summary>
/// Sends e-mail to customers (password-reset codes, e-mail change confirmations, notifications). Senders may hold a
/// one-time code in <see cref="EmailMessage.PlainText"/>, so no implementation logs a body, a subject or an address.
/// </summary>
public interface IEmailSender
{
    /// <summary>Hands the message to the mail server; throws when it could not (callers send from a durable outbox and retry).</summary>
    Task SendAsync(EmailMessage message, CancellationToken cancellationToken);
}
