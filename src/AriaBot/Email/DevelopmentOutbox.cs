using System.Text;
using System.Text.Encodings.Web;
using AriaBot.SandboxHost;
using Microsoft.Extensions.Options;

namespace AriaBot.Email;

/// <summary>
/// Development with the Aria sandbox only: instead of an SMTP server, the last messages are kept in memory and shown
/// on <c>/dev/outbox</c>, so <c>dotnet run</c> shows a whole reset flow. It holds codes in clear, which is why it is
/// refused next to a real Aria (<see cref="EmailOptionsValidator"/>) and the page answers 404 whenever it is off.
/// </summary>
public sealed class DevelopmentOutbox(IOptionsMonitor<EmailOptions> options) : IEmailSender
{
    public const string Path = "/dev/outbox";

    private readonly LinkedList<EmailMessage> _messages = new();
    private readonly Lock _gate = new();

    public Task SendAsync(EmailMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        lock (_gate)
        {
            _messages.AddFirst(message);
            while (_messages.Count > options.CurrentValue.DevelopmentOutboxSize)
            {
                _messages.RemoveLast();
            }
        }
        return Task.CompletedTask;
    }

    /// <summary>Newest first.</summary>
    public IReadOnlyList<EmailMessage> Messages()
    {
        lock (_gate)
        {
            return [.. _messages];
        }
    }

    internal string Render()
    {
        var html = new StringBuilder("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Development outbox</title></head><body>");
        html.Append("<h1>Development outbox</h1><p>Messages the bot would have e-mailed (newest first; Development with the Aria sandbox only).</p>");
        foreach (var message in Messages())
        {
            html.Append("<article><h2>").Append(HtmlEncoder.Default.Encode(message.Subject)).Append("</h2><p>To: ")
                .Append(HtmlEncoder.Default.Encode(message.To)).Append(" · ").Append(HtmlEncoder.Default.Encode(message.Purpose))
                .Append("</p><pre>").Append(HtmlEncoder.Default.Encode(message.PlainText)).Append("</pre></article><hr>");
        }
        return html.Append("</body></html>").ToString();
    }
}

/// <summary>Start-up checks of <see cref="EmailOptions"/> that need the host: the Development outbox only beside the sandbox.</summary>
internal sealed class EmailOptionsValidator(DevelopmentSandbox sandbox) : IValidateOptions<EmailOptions>
{
    public ValidateOptionsResult Validate(string? name, EmailOptions options) =>
        options.DevelopmentOutbox == true && !sandbox.Enabled
            ? ValidateOptionsResult.Fail("Email:DevelopmentOutbox=true is refused: the local outbox shows customers' codes on a web page, so it runs only in Development with the Aria sandbox (Aria:UseSandbox=true and a loopback Aria:BaseUrl), never next to a real Aria.")
            : ValidateOptionsResult.Success;
}
