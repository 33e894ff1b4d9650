using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using AriaBot.Email;
using AriaBot.PasswordReset;
using BotRuntime.State;
using Microsoft.Extensions.DependencyInjection;

namespace AriaBot.Tests.PasswordReset;

/// <summary>The code e-mail when the mail server is down: the job is retried, and each attempt makes a new code.</summary>
public sealed class ResetCodeRetryTests
{
    [Fact]
    public async Task While_the_mail_server_is_down_the_job_waits_for_a_retry_and_a_retry_replaces_the_code()
    {
        // A port nobody listens on: every SMTP attempt of the host's own sweep fails.
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var deadPort = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        await using var host = new AssistantTestHost(new Dictionary<string, string?>
        {
            ["Email:Host"] = "127.0.0.1",
            ["Email:Port"] = deadPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Email:Tls"] = "None",
            ["Email:FromAddress"] = "no-reply@example.com",
            ["PasswordReset:MinimumResponseTime"] = "00:00:00",
        });
        var chat = host.Conversation();
        await chat.SayAsync("I forgot my password");
        var link = ResetHarness.LinkIn(await chat.SayAsync("alice"));

        // The failed attempt leaves the job queued for later (back-off), not lost.
        var job = await WaitForFailedAttemptAsync(host);
        Assert.True(job.DueAt > host.Time.GetUtcNow());

        // Two deliveries of the same job (a retry): the second code replaces the first, which no longer works.
        var captured = new CapturingSender();
        var sender = ActivatorUtilities.CreateInstance<ResetCodeSender>(host.Services, (IEmailSender)captured);
        Assert.Equal(OutboxJobOutcome.Done, await sender.RunAsync(job, CancellationToken.None));
        Assert.Equal(OutboxJobOutcome.Done, await sender.RunAsync(job, CancellationToken.None));
        Assert.Equal(2, captured.Codes.Count);
        Assert.NotEqual(captured.Codes[0], captured.Codes[1]);

        var browser = host.NewBrowser();
        var form = await AssistantTestHost.GetAsync(browser, link);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await ResetHarness.PostAsync(browser, form, captured.Codes[0], "Fresh-start-2026")).Status);
        Assert.Equal(HttpStatusCode.OK, (await ResetHarness.PostAsync(browser, form, captured.Codes[1], "Fresh-start-2026")).Status);
    }

    private static async Task<OutboxJob> WaitForFailedAttemptAsync(AssistantTestHost host)
    {
        for (var round = 0; round < 600; round++)
        {
            var jobs = await host.Storage.ReadPrefixAsync("outbox/jobs/", 10);
            var job = jobs.Select(item => item.Value.Document.Deserialize<OutboxJob>(StateJson.Options)!).SingleOrDefault(j => j.Kind == ResetCodeSender.JobKind);
            // Attempted, and back from the attempt (its lease replaced by the back-off).
            if (job is { Attempts: 1 } && job.DueAt < host.Time.GetUtcNow() + TimeSpan.FromMinutes(4))
            {
                return job;
            }
            await Task.Delay(100);
        }
        throw new TimeoutException("the sweep never tried the job");
    }

    private sealed class CapturingSender : IEmailSender
    {
        public List<string> Codes { get; } = [];

        public Task SendAsync(EmailMessage message, CancellationToken cancellationToken)
        {
            Codes.Add(System.Text.RegularExpressions.Regex.Match(message.PlainText, @"(?<!\d)\d{8}(?!\d)").Value);
            return Task.CompletedTask;
        }
    }
}
