using Aria.Client.Models;
using AriaClient.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace AriaClient.Tests.Http;

public sealed class NoSecretsInLogsTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Auth_key_passwords_session_ids_and_card_numbers_never_reach_a_log_line(bool extendedHttpClientLogging)
    {
        using var host = new AriaTestHost(
            logging: b => b.SetMinimumLevel(LogLevel.Trace).AddFakeLogging(),
            configure: services =>
            {
                if (extendedHttpClientLogging)
                {
                    // What a host might turn on: Microsoft.Extensions.Http.Diagnostics with its defaults
                    // (bodies are not logged unless LogBody is set, which must never be done for Aria).
                    services.AddRedaction();
                    services.AddExtendedHttpClientLogging(o => o.LogRequestStart = true);
                }
            });
        const string password = "alice-demo-1";
        const string newPassword = "brand-new-secret-9";
        const string card = "4111111111111111";
        const string decliningCard = "4000000000009995";

        var session = (await host.Aria.SetSessionAuthAsync(new() { UserId = "alice", Password = password })).Value!.SessionId!;
        await host.Aria.SetSessionAuthAsync(new() { UserId = "alice", Password = "wrong-" + password });
        await host.Aria.ValidateSessionAsync(new() { SessionId = session });
        await host.Aria.KillSessionAsync(new() { SessionId = session });
        await host.Aria.UpdatePaymentMethodAsync(new() { AcctNo = Demo.Alice, PayMethodType = 1, CcNum = card, CcExpireMm = 5, CcExpireYyyy = 2031, Cvv = "987" });
        await host.Aria.CollectFromAccountAsync(new() { AcctNo = Demo.Alice, AmountToCollect = 3m, AltPayMethod = 1, CcNumber = decliningCard, CcExpireMm = 5, CcExpireYyyy = 2031 });
        await host.Aria.UpdateAcctCredentialsAsync(new() { AccountNo = Demo.Alice, Password = newPassword });
        host.Sandbox.Faults.HttpStatusNext("update_contact_m", 503);
        await host.Aria.UpdateContactAsync(new() { AcctNo = Demo.Alice, ContactInd = 1, City = "Salem" });

        var records = host.Services.GetFakeLogCollector().GetSnapshot();
        Assert.Contains(records, r => extendedHttpClientLogging
            ? r.Category?.StartsWith("Microsoft.Extensions.Http.Logging", StringComparison.Ordinal) == true
            : r.Category?.StartsWith("System.Net.Http.HttpClient.Aria", StringComparison.Ordinal) == true);
        Assert.Contains(records, r => r.Category == "Aria.Client.Http.AriaLoggingHandler" && r.Level == LogLevel.Debug);
        // The CVV is sent too but not searched for: three digits also occur in timings and ids.
        string[] secrets = [AriaTestHost.AuthKey, password, newPassword, card, decliningCard, session];
        foreach (var record in records)
        {
            var text = string.Join(" | ", new[] { record.Message, record.Exception?.ToString() ?? string.Empty }
                .Concat(record.StructuredState?.Select(kv => $"{kv.Key}={kv.Value}") ?? []));
            foreach (var secret in secrets)
            {
                Assert.False(text.Contains(secret, StringComparison.Ordinal), $"{record.Category} logged a secret: {record.Message}");
            }
        }
    }
}
