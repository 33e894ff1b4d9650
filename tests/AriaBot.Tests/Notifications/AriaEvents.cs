using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using AriaBot.Email;
using BotRuntime.State;
using Microsoft.Extensions.DependencyInjection;

namespace AriaBot.Tests.Notifications;

/// <summary>Aria's event documents (reference §13) as a test writes them, and the outbox run to completion.</summary>
internal static class AriaEvents
{
    public const string SandboxKey = "sandbox-demo-auth-key-7000100";

    /// <summary>A leaked password in the sample's acct_data: it must never reach a log.</summary>
    public const string PasswordInPayload = "pw-in-payload-93b1";

    public static string Xml(string transactionId, long accountNo, int[] eventIds, string eventClass = "A", string authKey = SandboxKey, string? extra = null) =>
        $"""
        <?xml version="1.0" encoding="UTF-8"?>
        <apf2doc>
          <request>
            <version>3.8</version><sender>A</sender><transaction_id>{transactionId}</transaction_id>
            <action>M</action><class>{eventClass}</class><auth_key>{authKey}</auth_key>
          </request>
          {(eventClass == "T"
              ? $"<financial_transactions><acct_no>{accountNo}</acct_no>{extra}</financial_transactions>"
              : $"<account><client_no>7000100</client_no><acct_no>{accountNo}</acct_no><userid>alice</userid><password>{PasswordInPayload}</password>{extra}</account>")}
          <event_data>{string.Concat(eventIds.Select(id => $"<event><event_id>{id}</event_id><event_label>Event {id}</event_label></event>"))}</event_data>
        </apf2doc>
        """;

    public static Task<HttpResponseMessage> PostXmlAsync(AssistantTestHost host, string xml) =>
        host.Client.PostAsync(AriaBot.Notifications.Receiver.AriaEventsReceiver.Path, new StringContent(xml, Encoding.UTF8, new MediaTypeHeaderValue("text/xml")));

    public static async Task<JsonElement> BodyAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

    /// <summary>
    /// Runs the outbox until nothing is due or running (jobs delayed to later stay), racing the host's own sweep
    /// harmlessly: each job is leased under its eTag.
    /// </summary>
    public static async Task SettleAsync(AssistantTestHost host)
    {
        var outbox = host.Services.GetRequiredService<Outbox>();
        for (var i = 0; i < 400; i++)
        {
            await outbox.RunDueAsync(CancellationToken.None);
            var jobs = await host.Storage.ReadPrefixAsync("outbox/jobs/", 100);
            var now = host.Time.GetUtcNow();
            if (jobs.Select(job => job.Value.Document.Deserialize<OutboxJob>(StateJson.Options)!).All(job => job.Attempts == 0 && job.DueAt > now))
            {
                return;
            }
            await Task.Delay(25);
        }
    }

    /// <summary>Jobs waiting for a later time (quiet hours, the daily limit).</summary>
    public static async Task<int> DelayedJobsAsync(AssistantTestHost host) =>
        (await host.Storage.ReadPrefixAsync("outbox/jobs/", 100)).Count;
}
