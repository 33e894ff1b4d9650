using AriaBot.Changes;
using Microsoft.Extensions.DependencyInjection;
using PaymentTextOf = AriaBot.Tests.Payments.PaymentText;

namespace AriaBot.Tests.Account.EmailChange;

/// <summary>
/// The old address's "your account e-mail was changed" notice (issue 16, left over): sent when the write is proven
/// done later by reconciliation (the process died after Aria applied it), not only when the dialog hears it at once,
/// and exactly once however many times the write is settled or reported.
/// </summary>
public sealed class EmailChangeDoneNoticeTests
{
    private const string DoneSubject = "Your account e-mail was changed";

    private static int DoneNotices(EmailChangeHarness change) =>
        change.Mail.Mail().Count(m => m.Subject == DoneSubject && m.To.Mailboxes.Single().Address == EmailChangeHarness.Old);

    /// <summary>Asked, code entered on the page, "continue": the confirmation card waits for Confirm.</summary>
    private static async Task VerifiedAsync(EmailChangeHarness change)
    {
        var link = await change.AskAndSendAsync();
        var code = await change.CodeSentToAsync();
        await EmailChangeHarness.EnterCodeAsync(change.Host.NewBrowser(), link, code);
        await change.Chat.SayAsync("continue");
    }

    [Fact]
    public async Task A_write_proven_done_only_by_reconciliation_after_a_crash_still_tells_the_old_address_once()
    {
        await using var change = await EmailChangeHarness.StartAsync(services: services => services.AddCrashAfterWrite());
        await VerifiedAsync(change);

        // Aria applies the write; the process dies before the ledger or the dialog learns of it.
        change.Host.Services.GetRequiredService<CrashAfterWrite>().Armed = true;
        await Assert.ThrowsAsync<SimulatedCrashException>(() => change.Chat.ClickAsync("Confirm"));
        Assert.Equal(EmailChangeHarness.New, change.Bobs.AccountContact.Email);
        await change.Mail.DrainOutboxAsync();
        Assert.Equal(0, DoneNotices(change));

        // After the restart, the conversation's next turn reconciles the pending write: done, and the old address hears it.
        var restarted = change.Host.Conversation();
        Assert.Contains("earlier request went through", PaymentText(await restarted.SayAsync("hello")), StringComparison.Ordinal);
        await change.Mail.DrainOutboxAsync();
        Assert.Equal(1, DoneNotices(change));
        Assert.Equal(1, change.Writes);

        // Reported again (another instance settling it, a later "yes"), the write never sends a second notice.
        var ledger = change.Host.Services.GetRequiredService<IWriteLedger>();
        var written = (await ledger.GetAsync(Assert.Single(await PaymentTextOf.AuditAsync(change.Host, EmailChangeHarness.Bob)).ReceiptId!))!;
        Assert.Equal(WriteIntentStatus.Committed, written.Status);
        foreach (var observer in change.Host.Services.GetServices<IWriteCommittedObserver>())
        {
            await observer.OnCommittedAsync(written, CancellationToken.None);
        }
        await restarted.SayAsync("yes");
        await change.Mail.DrainOutboxAsync();
        Assert.Equal(1, DoneNotices(change));
        Assert.Equal(1, change.Writes);
    }

    [Fact]
    public async Task A_write_applied_at_once_tells_the_old_address_exactly_once_in_the_chats_language()
    {
        await using var change = await EmailChangeHarness.StartAsync(locale: "es-ES");
        await change.Chat.SayAsync("actualizar mi correo");
        await change.Chat.ClickAsync("Contacto de la cuenta");
        await change.Chat.SayAsync(EmailChangeHarness.New);
        var link = ResetHarnessLink(await change.Chat.SayAsync("sí"));
        await change.Mail.DrainOutboxAsync();
        var codeMail = change.Mail.Mail().Last(m => m.Subject == "Confirma tu nueva dirección de correo");
        var code = System.Text.RegularExpressions.Regex.Match(codeMail.TextBody ?? "", @"(?<!\d)\d{8}(?!\d)").Value;
        await EmailChangeHarness.EnterCodeAsync(change.Host.NewBrowser(), link, code);
        await change.Chat.SayAsync("continuar");
        await change.Chat.ClickAsync("Confirmar");
        await change.Mail.DrainOutboxAsync();
        Assert.Equal(1, change.Writes);
        Assert.Equal(EmailChangeHarness.New, change.Bobs.AccountContact.Email);
        var told = Assert.Single(change.Mail.Mail(), m => m.Subject == "Se ha cambiado el correo de tu cuenta");
        Assert.Equal(EmailChangeHarness.Old, told.To.Mailboxes.Single().Address);
        Assert.Contains("b***@example.net", told.TextBody, StringComparison.Ordinal);
    }

    private static Uri ResetHarnessLink(IReadOnlyList<BotRuntime.Schema.Activity> replies) => AriaBot.Tests.PasswordReset.ResetHarness.LinkIn(replies);

    private static string PaymentText(IEnumerable<BotRuntime.Schema.Activity> replies) => PaymentTextOf.Of(replies);
}
