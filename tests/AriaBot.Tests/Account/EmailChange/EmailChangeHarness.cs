using System.Net;
using System.Text.RegularExpressions;
using AriaBot.Session;
using AriaBot.Tests.PasswordReset;
using AriaBot.Tests.Payments;
using BotRuntime.Schema;

namespace AriaBot.Tests.Account.EmailChange;

/// <summary>
/// Bob (1000002, bob@example.com on every contact) signed in in a private web chat, the bot's e-mail going to a real
/// SMTP server (netDumbster, through <see cref="ResetHarness"/>): what a test of the account e-mail change needs to ask
/// in chat, read the code from the mailbox and use the page like a browser.
/// </summary>
internal sealed partial class EmailChangeHarness : IAsyncDisposable
{
    public const long Bob = 1000002;
    public const string Old = "bob@example.com";
    public const string New = "bob.new@example.net";
    public const string CodeSubject = "Confirm your new e-mail address";

    private EmailChangeHarness(ResetHarness mail, AssistantConversation chat)
    {
        Mail = mail;
        Chat = chat;
    }

    public ResetHarness Mail { get; }

    public AssistantTestHost Host => Mail.Host;

    public AssistantConversation Chat { get; }

    public Aria.Sandbox.State.Account Bobs => Host.Sandbox.Account(Bob);

    public int Writes => Host.Sandbox.Calls.Count("update_contact_m");

    public static async Task<EmailChangeHarness> StartAsync(Dictionary<string, string?>? settings = null, string locale = "en-US",
        Action<Microsoft.Extensions.DependencyInjection.IServiceCollection>? services = null)
    {
        var mail = new ResetHarness(settings, services);
        var chat = mail.Host.Conversation(locale: locale);
        await mail.Host.BindDirectlyAsync(new BindingKey(Channels.Webchat, "convo1", "user1"), "bob", "bob-demo-1");
        return new EmailChangeHarness(mail, chat);
    }

    /// <summary>"update my email" → Account contact → the new address: the old → new question (nothing sent yet).</summary>
    public async Task<string> AskAsync(string newAddress = New)
    {
        await Chat.SayAsync("update my email");
        await Chat.ClickAsync("Account contact");
        return PaymentText.Of(await Chat.SayAsync(newAddress));
    }

    /// <summary>Asks, says yes and returns the page's link from the card.</summary>
    public async Task<Uri> AskAndSendAsync(string newAddress = New)
    {
        await AskAsync(newAddress);
        return ResetHarness.LinkIn(await Chat.SayAsync("yes"));
    }

    /// <summary>The 8-digit code in the latest code e-mail to <paramref name="to"/> (the outbox is drained first).</summary>
    public async Task<string> CodeSentToAsync(string to = New)
    {
        await Mail.DrainOutboxAsync();
        var message = Mail.Mail().Last(m => m.To.Mailboxes.Any(box => box.Address == to) && m.Subject == CodeSubject);
        var match = EightDigits().Match(message.TextBody ?? string.Empty);
        Assert.True(match.Success, "the e-mail holds an 8-digit code");
        return match.Value;
    }

    public static async Task<AssistantTestHost.Page> PostCodeAsync(HttpClient browser, AssistantTestHost.Page form, string code)
    {
        using var content = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["state"] = form.Field("state")!,
            ["__RequestVerificationToken"] = form.Token!,
            ["code"] = code,
        });
        var response = await browser.PostAsync(new Uri("/email-change", UriKind.Relative), content);
        return new AssistantTestHost.Page(response.StatusCode, await response.Content.ReadAsStringAsync(), response);
    }

    /// <summary>Opens the link and posts <paramref name="code"/>, like a browser.</summary>
    public static async Task<AssistantTestHost.Page> EnterCodeAsync(HttpClient browser, Uri link, string code)
    {
        var form = await AssistantTestHost.GetAsync(browser, link);
        Assert.Equal(HttpStatusCode.OK, form.Status);
        return await PostCodeAsync(browser, form, code);
    }

    public static string WrongCode(string code) => code == "00000000" ? "11111111" : "00000000";

    public ValueTask DisposeAsync() => Mail.DisposeAsync();

    [GeneratedRegex(@"(?<!\d)\d{8}(?!\d)")]
    private static partial Regex EightDigits();
}
