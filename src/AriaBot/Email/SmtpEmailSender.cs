using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace AriaBot.Email;

/// <summary>
/// <see cref="IEmailSender"/> over SMTP with MailKit: one connection per message (a handful a minute at most), the
/// plain-text and HTML bodies as <c>multipart/alternative</c>. Logs nothing of the message; a failure is thrown to the
/// outbox, which retries.
/// </summary>
public sealed class SmtpEmailSender(IOptionsMonitor<EmailOptions> options) : IEmailSender
{
    public async Task SendAsync(EmailMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var settings = options.CurrentValue;
        using var mime = new MimeMessage();
        mime.From.Add(new MailboxAddress(settings.FromName, settings.FromAddress ?? string.Empty));
        mime.To.Add(MailboxAddress.Parse(message.To));
        mime.Subject = message.Subject;
        mime.Body = new BodyBuilder { TextBody = message.PlainText, HtmlBody = message.Html }.ToMessageBody();

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(settings.SendTimeout);
        using var client = new SmtpClient();
        var security = settings.Tls switch
        {
            SmtpTlsMode.Implicit => SecureSocketOptions.SslOnConnect,
            SmtpTlsMode.StartTls => SecureSocketOptions.StartTls,
            _ => SecureSocketOptions.None,
        };
        await client.ConnectAsync(settings.Host ?? string.Empty, settings.Port, security, timeout.Token).ConfigureAwait(false);
        if (!string.IsNullOrEmpty(settings.UserName))
        {
            await client.AuthenticateAsync(settings.UserName, settings.Password ?? string.Empty, timeout.Token).ConfigureAwait(false);
        }
        await client.SendAsync(mime, timeout.Token).ConfigureAwait(false);
        await client.DisconnectAsync(quit: true, timeout.Token).ConfigureAwait(false);
    }
}

/// <summary>No SMTP server configured (and no Development outbox): every send fails, so queued mail waits and is retried.</summary>
internal sealed class UnconfiguredEmailSender : IEmailSender
{
    public Task SendAsync(EmailMessage message, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("No e-mail can be sent: Email:Host is not set.");
}
