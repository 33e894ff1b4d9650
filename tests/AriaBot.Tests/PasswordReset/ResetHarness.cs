using System.Net;
using System.Text.RegularExpressions;
using AriaBot.Email;
using BotRuntime.Schema;
using BotRuntime.State;
using BotRuntime.Testing;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using netDumbster.smtp;

namespace AriaBot.Tests.PasswordReset;

/// <summary>
/// The whole bot against the sandbox Aria, its e-mail going to a real SMTP server in-process (netDumbster): what a
/// reset test needs to ask in chat, read the code from the mailbox and use the reset page like a browser.
/// </summary>
internal sealed partial class ResetHarness : IAsyncDisposable
{
    public ResetHarness(Dictionary<string, string?>? settings = null, Action<Microsoft.Extensions.DependencyInjection.IServiceCollection>? services = null)
    {
        Smtp = SimpleSmtpServer.Start();
        var all = new Dictionary<string, string?>
        {
            ["Email:Host"] = "127.0.0.1",
            ["Email:Port"] = Smtp.Configuration.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Email:Tls"] = "None",
            ["Email:FromAddress"] = "no-reply@example.com",
            ["PasswordReset:MinimumResponseTime"] = "00:00:00",
        };
        foreach (var (key, value) in settings ?? [])
        {
            all[key] = value;
        }
        Host = new AssistantTestHost(all, services);
    }

    public SimpleSmtpServer Smtp { get; }

    public AssistantTestHost Host { get; }

    public Outbox Outbox => Host.Services.GetRequiredService<Outbox>();

    /// <summary>Asks for a reset in chat for <paramref name="userId"/>; returns the replies to the user id.</summary>
    public async Task<IReadOnlyList<Activity>> AskAsync(AssistantConversation chat, string userId, string ask = "I forgot my password")
    {
        var first = await chat.SayAsync(ask);
        Assert.Equal(["I can help you choose a new password. What's the user id you sign in with? (Just the user id, never your password.)"], AssistantConversation.Texts(first));
        return await chat.SayAsync(userId);
    }

    /// <summary>Runs the outbox until no job is left (the hosted sweep may be running the same jobs: both take leases).</summary>
    /// <param name="step">Moves the fake clock on by this much each round (for jobs waiting on a retry).</param>
    public async Task DrainOutboxAsync(TimeSpan? step = null)
    {
        for (var round = 0; round < 300; round++)
        {
            if (step is { } by)
            {
                Host.Time.Advance(by);
            }
            await Outbox.RunDueAsync(CancellationToken.None);
            if ((await Host.Storage.ReadPrefixAsync("outbox/jobs/", 10)).Count == 0)
            {
                return;
            }
            await Task.Delay(100);
        }
        Assert.Fail("The outbox did not drain.");
    }

    /// <summary>The messages netDumbster received, parsed.</summary>
    public IReadOnlyList<MimeMessage> Mail() =>
        [.. Smtp.ReceivedEmail.Select(message => MimeMessage.Load(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(message.Data))))];

    /// <summary>The 8-digit code in the latest code e-mail to <paramref name="to"/>.</summary>
    public string CodeSentTo(string to)
    {
        var message = Mail().Last(m => m.To.Mailboxes.Any(box => box.Address == to) && m.Subject == "Your password reset code");
        var match = EightDigits().Match(message.TextBody ?? string.Empty);
        Assert.True(match.Success, "the e-mail holds an 8-digit code");
        return match.Value;
    }

    public static Uri LinkIn(IReadOnlyList<Activity> replies) => AssistantTestHost.LinkIn(replies.Single(reply => reply.Attachments is { Count: > 0 }));

    /// <summary>Opens the reset link and posts the form (a browser: the antiforgery cookie kept between the two).</summary>
    public async Task<AssistantTestHost.Page> ResetOnPageAsync(HttpClient browser, Uri link, string code, string password, string? confirmation = null)
    {
        var form = await AssistantTestHost.GetAsync(browser, link);
        Assert.Equal(HttpStatusCode.OK, form.Status);
        return await PostAsync(browser, form, code, password, confirmation);
    }

    public static async Task<AssistantTestHost.Page> PostAsync(HttpClient browser, AssistantTestHost.Page form, string code, string password, string? confirmation = null)
    {
        using var content = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["state"] = form.Field("state")!,
            ["__RequestVerificationToken"] = form.Token!,
            ["code"] = code,
            ["newPassword"] = password,
            ["confirmPassword"] = confirmation ?? password,
        });
        var response = await browser.PostAsync(new Uri("/password-reset", UriKind.Relative), content);
        return new AssistantTestHost.Page(response.StatusCode, await response.Content.ReadAsStringAsync(), response);
    }

    /// <summary>Every stored document, as text (state, transcripts, audit, outbox, limits…; packed reply bodies unpacked).</summary>
    public Task<string> EverythingStoredAsync() => StoredText.AllAsync(Host.Storage);

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        Smtp.Dispose();
    }

    [GeneratedRegex(@"(?<!\d)\d{8}(?!\d)")]
    private static partial Regex EightDigits();
}
