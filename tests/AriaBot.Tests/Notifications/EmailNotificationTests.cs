using Aria.Client;
using Aria.Client.Models;
using AriaBot.Email;
using AriaBot.Session;
using BotRuntime.Schema;
using Microsoft.Extensions.DependencyInjection;

namespace AriaBot.Tests.Notifications;

/// <summary>The e-mail copy a customer may ask for: to the address on file in Aria, once per event, only the kind, ended by "stop".</summary>
public sealed class EmailNotificationTests
{
    [Fact]
    public async Task A_customer_who_asked_gets_each_notice_once_by_e_mail_at_the_address_on_file_until_they_stop()
    {
        await using var host = new AssistantTestHost();
        var key = new BindingKey(Channels.Webchat, "convo1", "user1");
        await host.BindDirectlyAsync(key);
        var account = (await host.Bindings.GetAsync(key))!.AccountNo;
        var chat = host.Conversation();
        var outbox = host.Services.GetRequiredService<DevelopmentOutbox>();
        var before = outbox.Messages().Count;

        Assert.Contains(AssistantConversation.Texts(await chat.SayAsync("email me notifications")), text => text.Contains("also e-mail", StringComparison.Ordinal));
        var xml = AriaEvents.Xml("tx-mail", account, [714]);
        await AriaEvents.PostXmlAsync(host, xml);
        await AriaEvents.PostXmlAsync(host, xml);
        await AriaEvents.SettleAsync(host);

        var mails = outbox.Messages().Skip(before).Where(m => m.Purpose == "account-notification").ToList();
        var mail = Assert.Single(mails);
        var onFile = await host.Services.GetRequiredService<IAriaClient>().GetAcctDetailsAllAsync(new GetAcctDetailsAllMRequest { AcctNo = account });
        Assert.Equal(onFile.Value!.Email, mail.To);
        Assert.Contains("The card on your account is about to expire.", mail.PlainText, StringComparison.Ordinal);
        Assert.DoesNotContain(AriaEvents.PasswordInPayload, mail.PlainText + mail.Html, StringComparison.Ordinal);

        await chat.SayAsync("stop notifications");
        await AriaEvents.PostXmlAsync(host, AriaEvents.Xml("tx-mail-after-stop", account, [714]));
        await AriaEvents.SettleAsync(host);
        Assert.Single(outbox.Messages().Skip(before), m => m.Purpose == "account-notification");
    }
}
