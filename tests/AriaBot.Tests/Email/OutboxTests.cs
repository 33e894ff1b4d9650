using System.Net;
using System.Text.Json;
using AriaBot.Email;
using BotRuntime.State;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace AriaBot.Tests.Email;

/// <summary>The durable outbox: jobs survive in the store, failures are retried with back-off, then given up.</summary>
public sealed class OutboxTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 1, 9, 0, 0, TimeSpan.Zero));
    private readonly MemoryStorage _storage;
    private readonly FlakySender _sender = new();

    public OutboxTests() => _storage = new MemoryStorage(_time);

    private Outbox NewOutbox(EmailOptions? options = null) =>
        new(_storage, _time, new StaticOptions(options ?? new EmailOptions { OutboxRetryDelay = TimeSpan.FromSeconds(30), OutboxMaxAttempts = 3 }),
            [new EmailJobHandler(_sender)], NullLogger<Outbox>.Instance);

    [Fact]
    public async Task A_queued_e_mail_is_sent_once_and_removed()
    {
        var outbox = NewOutbox();
        await outbox.EnqueueEmailAsync(Message(), CancellationToken.None);
        Assert.Equal(1, await outbox.RunDueAsync(CancellationToken.None));
        Assert.Single(_sender.Sent);
        Assert.Empty(await _storage.ReadPrefixAsync("outbox/jobs/", 10));
        Assert.Equal(0, await outbox.RunDueAsync(CancellationToken.None));
        Assert.Single(_sender.Sent);
    }

    [Fact]
    public async Task A_failed_send_is_retried_after_a_back_off_that_doubles_and_a_new_instance_carries_on()
    {
        _sender.FailuresLeft = 2;
        await NewOutbox().EnqueueEmailAsync(Message(), CancellationToken.None);
        Assert.Equal(1, await NewOutbox().RunDueAsync(CancellationToken.None));
        Assert.Empty(_sender.Sent);

        // Not due before the first back-off (30 s)…
        _time.Advance(TimeSpan.FromSeconds(29));
        Assert.Equal(0, await NewOutbox().RunDueAsync(CancellationToken.None));
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, await NewOutbox().RunDueAsync(CancellationToken.None));
        Assert.Empty(_sender.Sent);

        // …and the second one is twice as long (60 s).
        _time.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal(0, await NewOutbox().RunDueAsync(CancellationToken.None));
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, await NewOutbox().RunDueAsync(CancellationToken.None));
        Assert.Single(_sender.Sent);
        Assert.Empty(await _storage.ReadPrefixAsync("outbox/jobs/", 10));
    }

    [Fact]
    public async Task A_job_that_keeps_failing_is_given_up_after_the_last_attempt()
    {
        _sender.FailuresLeft = 100;
        var outbox = NewOutbox();
        await outbox.EnqueueEmailAsync(Message(), CancellationToken.None);
        for (var attempt = 0; attempt < 3; attempt++)
        {
            Assert.Equal(1, await outbox.RunDueAsync(CancellationToken.None));
            _time.Advance(TimeSpan.FromMinutes(10));
        }
        Assert.Empty(await _storage.ReadPrefixAsync("outbox/jobs/", 10));
        Assert.Equal(3, _sender.Attempts);
    }

    [Fact]
    public async Task A_job_another_instance_is_running_is_left_alone_until_its_lease_ends()
    {
        var outbox = NewOutbox();
        await outbox.EnqueueEmailAsync(Message(), CancellationToken.None);
        // Another instance took the job (its lease is written) and crashed before finishing.
        var (key, item) = (await _storage.ReadPrefixAsync("outbox/jobs/", 10)).Single();
        var job = item.Document.Deserialize<OutboxJob>(StateJson.Options)!;
        job.Attempts = 1;
        job.DueAt = _time.GetUtcNow() + TimeSpan.FromMinutes(5);
        await _storage.WriteAsync(key, job, item.ETag);

        Assert.Equal(0, await outbox.RunDueAsync(CancellationToken.None));
        _time.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(1, await outbox.RunDueAsync(CancellationToken.None));
        Assert.Single(_sender.Sent);
    }

    [Fact]
    public async Task The_Development_outbox_page_shows_the_messages_and_is_absent_when_a_mail_server_is_set()
    {
        await using (var host = new AssistantTestHost())
        {
            // Development with the sandbox and no Email:Host: the local outbox is what sends.
            await host.Services.GetRequiredService<IEmailSender>().SendAsync(Message(), CancellationToken.None);
            var page = await host.Client.GetAsync(new Uri("/dev/outbox", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.Equal("no-store", page.Headers.CacheControl?.ToString());
            var html = await page.Content.ReadAsStringAsync();
            Assert.Contains("Hello &amp; welcome", html, StringComparison.Ordinal);
            Assert.Contains("alice@example.com", html, StringComparison.Ordinal);
        }
        await using (var host = new AssistantTestHost(new Dictionary<string, string?> { ["Email:Host"] = "127.0.0.1", ["Email:FromAddress"] = "no-reply@example.com" }))
        {
            Assert.IsType<SmtpEmailSender>(host.Services.GetRequiredService<IEmailSender>());
            Assert.Equal(HttpStatusCode.NotFound, (await host.Client.GetAsync(new Uri("/dev/outbox", UriKind.Relative))).StatusCode);
        }
    }

    [Fact]
    public async Task The_Development_outbox_is_refused_at_start_next_to_a_real_Aria()
    {
        await using var host = new AssistantTestHost();
        var sandbox = host.Services.GetRequiredService<AriaBot.SandboxHost.DevelopmentSandbox>();
        Assert.True(sandbox.Enabled);
        Assert.True(new EmailOptionsValidator(sandbox).Validate(null, new EmailOptions { DevelopmentOutbox = true }).Succeeded);
        // The validator the host runs at start, where the sandbox is off (next to a real Aria).
        var offHost = new AriaBot.SandboxHost.DevelopmentSandbox(host.Services, Options.Create(new Aria.Sandbox.AriaSandboxOptions { UseSandbox = false }), new FakeEnvironment());
        var refusing = new EmailOptionsValidator(offHost);
        var result = refusing.Validate(null, new EmailOptions { DevelopmentOutbox = true });
        Assert.True(result.Failed);
        Assert.Contains("Email:DevelopmentOutbox=true is refused", result.FailureMessage, StringComparison.Ordinal);
        Assert.True(refusing.Validate(null, new EmailOptions()).Succeeded);
    }

    [Fact]
    public void The_SMTP_settings_are_validated()
    {
        var context = new System.ComponentModel.DataAnnotations.ValidationContext(new object());
        Assert.NotEmpty(new EmailOptions { Host = "smtp.example.com" }.Validate(context));
        Assert.NotEmpty(new EmailOptions { Host = "smtp.example.com", FromAddress = "not an address" }.Validate(context));
        Assert.NotEmpty(new EmailOptions { Host = "smtp.example.com", FromAddress = "a@example.com", UserName = "u" }.Validate(context));
        Assert.Empty(new EmailOptions { Host = "smtp.example.com", FromAddress = "a@example.com", UserName = "u", Password = "p" }.Validate(context));
        Assert.Empty(new EmailOptions().Validate(context));
    }

    private static EmailMessage Message() => new("alice@example.com", "Hi", "Hello & welcome", "<p>Hello &amp; welcome</p>", "test");

    private sealed class FlakySender : IEmailSender
    {
        public List<EmailMessage> Sent { get; } = [];

        public int FailuresLeft { get; set; }

        public int Attempts { get; private set; }

        public Task SendAsync(EmailMessage message, CancellationToken cancellationToken)
        {
            Attempts++;
            if (FailuresLeft-- > 0)
            {
                throw new IOException("the mail server is down");
            }
            Sent.Add(message);
            return Task.CompletedTask;
        }
    }

    private sealed class StaticOptions(EmailOptions value) : IOptionsMonitor<EmailOptions>
    {
        public EmailOptions CurrentValue => value;

        public EmailOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<EmailOptions, string?> listener) => null;
    }

    private sealed class FakeEnvironment : Microsoft.Extensions.Hosting.IHostEnvironment
    {
        public string EnvironmentName { get; set; } = "Development";
        public string ApplicationName { get; set; } = "AriaBot";
        public string ContentRootPath { get; set; } = AppContext.BaseDirectory;
        public Microsoft.Extensions.FileProviders.IFileProvider ContentRootFileProvider { get; set; } = new Microsoft.Extensions.FileProviders.NullFileProvider();
    }
}
