using Aria.Client;
using Aria.Client.Models;
using AriaBot.Session;
using BotRuntime.Schema;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AriaBot.Tests.Session;

/// <summary>
/// Keeping a bound Aria session alive while the customer chats (<c>keep_alive_m</c>, AriaSession:KeepAliveAfter = 10
/// minutes by default), against the sandbox, whose sessions end 30 minutes after they were created or extended and
/// whose call log is the witness. Aria's <c>validate_session_m</c> does not extend a session; only turns extend it,
/// never a timer.
/// One host for the class (<see cref="SharedAssistantHost"/>; xunit runs a class's tests one at a time): each test has
/// its own chat user and conversation, and starts with the sandbox reset to its demo data (a plan switched by one test
/// is not seen by the next) and the sandbox's call log, its faults and the captured log emptied, so every count is the
/// test's own; the shared clock only moves forward, and every test measures from its own start. The tests that need a
/// setting of their own or a fixed start time are in <see cref="WithOwnHost"/>.
/// </summary>
public sealed class KeepAliveTests(SharedAssistantHost shared) : IClassFixture<SharedAssistantHost>
{
    private readonly AssistantTestHost _host = Reset(shared.Host);

    /// <summary>This test's chat user and conversation on the shared host.</summary>
    private BindingKey Customer { get; } = new(Channels.Webchat, SharedAssistantHost.NewConversationId(), SharedAssistantHost.NewConversationId("user"));

    private static AssistantTestHost Reset(AssistantTestHost host)
    {
        // The demo data again, and the call log and faults emptied with it.
        host.Sandbox.Reset();
        host.Logs.Clear();
        return host;
    }

    private AssistantConversation Chat() => _host.Conversation(Customer.UserId, Customer.ConversationId);

    [Fact]
    public async Task An_active_customer_chatting_every_few_minutes_past_the_session_lifetime_is_never_asked_to_sign_in_again()
    {
        var chat = Chat();
        var signedInAt = _host.Time.GetUtcNow();
        await chat.SignInAsync();
        var sessionId = (await _host.Bindings.GetAsync(Customer))!.AriaSessionId;

        // Every four minutes for 80 minutes (more than twice the session's 30), each turn touching the account.
        string[] turns = ["switch my plan", "cancel", "hello"];
        for (var minute = 4; minute <= 80; minute += 4)
        {
            _host.Time.Advance(TimeSpan.FromMinutes(4));
            var replies = await chat.SayAsync(turns[((minute / 4) - 1) % turns.Length]);
            var said = string.Join("\n", AssistantConversation.Texts(replies));
            Assert.DoesNotContain("sign in", said, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(replies, reply => reply.Attachments?.Any(a => a.ContentType == ContentTypes.HeroCard) == true);
        }

        // Created at 0: due after 10 minutes, so the first turn after that (12) extends it, then every 12 minutes.
        var keepAlives = _host.Sandbox.Calls.All.Where(call => call.RestCall == "keep_alive_m").ToList();
        Assert.Equal([12, 24, 36, 48, 60, 72], keepAlives.Select(call => (int)(call.At - signedInAt).TotalMinutes));
        Assert.All(keepAlives, call => Assert.Equal(0, call.ErrorCode));
        Assert.Equal(0, _host.Sandbox.Calls.All.Count(call => call.RestCall == "validate_session_m" && call.ErrorCode != 0));
        Assert.True(_host.IsSessionLive(sessionId));
        Assert.Equal(_host.Time.GetUtcNow() - TimeSpan.FromMinutes(8), (await _host.Bindings.GetAsync(Customer))!.ExtendedAt);
        Assert.DoesNotContain(_host.Logs.GetSnapshot(), log => log.Message.Contains(sessionId, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_signed_in_sessions_age_counts_from_the_sign_in_page_not_from_the_code_typed_later()
    {
        var chat = Chat();
        var asked = await chat.SayAsync("sign in");
        var link = AssistantTestHost.LinkIn(asked.First(reply => reply.Attachments is { Count: > 0 }));
        var page = await AssistantTestHost.SignInOnPageAsync(_host.NewBrowser(), link); // set_session_auth_m: the session starts now
        var createdAt = _host.Time.GetUtcNow();
        _host.Time.Advance(TimeSpan.FromMinutes(4));
        await chat.SayAsync(page.Code!);
        Assert.Equal(createdAt, (await _host.Bindings.GetAsync(Customer))!.ExtendedAt);

        // Ten minutes after the session began, six after the binding: due.
        _host.Time.Advance(TimeSpan.FromMinutes(6));
        await chat.SayAsync("switch my plan");
        Assert.Equal(1, _host.Sandbox.Calls.Count("keep_alive_m"));
    }

    [Fact]
    public async Task A_customer_who_stops_chatting_expires_when_Aria_says_so_and_nothing_extends_the_session_meanwhile()
    {
        var chat = Chat();
        await chat.SignInAsync();
        var sessionId = (await _host.Bindings.GetAsync(Customer))!.AriaSessionId;
        foreach (var text in new[] { "hello", "switch my plan", "cancel" })
        {
            _host.Time.Advance(TimeSpan.FromMinutes(6));
            await chat.SayAsync(text);
        }
        Assert.Equal(1, _host.Sandbox.Calls.Count("keep_alive_m"));

        // The customer leaves. Time passes minute by minute (a timer on the clock would fire); no call reaches Aria.
        var calls = _host.Sandbox.Calls.All.Count;
        var expiresAt = _host.Sandbox.Read(state => state.Sessions.Single(session => session.SessionId == sessionId).ExpiresAt);
        while (_host.Time.GetUtcNow() < expiresAt)
        {
            _host.Time.Advance(TimeSpan.FromMinutes(1));
        }
        Assert.Equal(calls, _host.Sandbox.Calls.All.Count);
        Assert.False(_host.IsSessionLive(sessionId));

        // Back after the session ended: the expired path (sign in again, then carry on), as Aria decided.
        var replies = await chat.SayAsync("switch my plan");
        Assert.Contains("Your session has expired", string.Join("\n", AssistantConversation.Texts(replies)), StringComparison.Ordinal);
        Assert.Null(await _host.Bindings.GetAsync(Customer));
        var link = AssistantTestHost.LinkIn(replies.First(reply => reply.Attachments is { Count: > 0 }));
        var page = await AssistantTestHost.SignInOnPageAsync(_host.NewBrowser(), link);
        var resumed = await chat.SayAsync(page.Code!);
        Assert.Contains("You're on Standard", string.Join("\n", AssistantConversation.Texts(resumed)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_idle_customer_past_the_lifetime_without_any_keep_alive_gets_the_expired_path()
    {
        var chat = Chat();
        await chat.SignInAsync();
        _host.Time.Advance(TimeSpan.FromMinutes(4));
        await chat.SayAsync("switch my plan");
        _host.Time.Advance(TimeSpan.FromMinutes(27)); // 31 minutes after sign-in: past the sandbox's 30

        var replies = await chat.SayAsync("Premium");
        Assert.Contains("Your session has expired", string.Join("\n", AssistantConversation.Texts(replies)), StringComparison.Ordinal);
        // The due keep-alive was tried first and Aria refused it: 1011, and nothing validated after it.
        var last = _host.Sandbox.Calls.All[^1];
        Assert.Equal(("keep_alive_m", 1011L), (last.RestCall, last.ErrorCode));
        Assert.Equal(0, _host.Sandbox.Calls.Count("replace_acct_plan_m"));
    }

    [Fact]
    public async Task Read_read_write_extends_once_before_the_first_validation_and_validates_again_right_before_the_write()
    {
        await _host.BindDirectlyAsync(Customer);
        var aria = _host.Services.GetRequiredService<IAriaClient>();
        _host.Time.Advance(TimeSpan.FromMinutes(10));
        _host.Sandbox.Calls.Clear();

        IReadOnlyList<string>? ledger = null;
        await _host.RunTurnAsync(Customer, async turn =>
        {
            var check = await _host.AccountSession.CheckAsync(turn, CancellationToken.None);
            await aria.GetAcctDetailsAllAsync(new GetAcctDetailsAllMRequest { AcctNo = check.AccountNo });
            await aria.GetAcctPlansAsync(new GetAcctPlansMRequest { AcctNo = check.AccountNo });
            var beforeWrite = await _host.AccountSession.CheckBeforeWriteAsync(turn, CancellationToken.None);
            Assert.True(beforeWrite.IsAccount(1000001));
            await aria.UpdateContactAsync(new UpdateContactMRequest { AcctNo = beforeWrite.AccountNo, ContactInd = 1, Phone = "+1 503 555 0197" });
            ledger = AriaCallLedger.Of(turn)!.Calls;
        });

        string[] expected = ["keep_alive_m", "validate_session_m", "get_acct_details_all_m", "get_acct_plans_m", "validate_session_m", "update_contact_m"];
        Assert.Equal(expected, _host.Sandbox.Calls.All.Select(call => call.RestCall));
        Assert.Equal(expected, ledger);
    }

    [Fact]
    public async Task A_write_checked_first_thing_in_a_turn_extends_then_validates_then_writes()
    {
        await _host.BindDirectlyAsync(Customer);
        var aria = _host.Services.GetRequiredService<IAriaClient>();
        _host.Time.Advance(TimeSpan.FromMinutes(15));
        _host.Sandbox.Calls.Clear();

        await _host.RunTurnAsync(Customer, async turn =>
        {
            var beforeWrite = await _host.AccountSession.CheckBeforeWriteAsync(turn, CancellationToken.None);
            await aria.UpdateContactAsync(new UpdateContactMRequest { AcctNo = beforeWrite.AccountNo, ContactInd = 1, Phone = "+1 503 555 0196" });
            // A second write in the same turn validates again, but does not extend again.
            var again = await _host.AccountSession.CheckBeforeWriteAsync(turn, CancellationToken.None);
            await aria.UpdateContactAsync(new UpdateContactMRequest { AcctNo = again.AccountNo, ContactInd = 1, Phone = "+1 503 555 0195" });
        });

        Assert.Equal(["keep_alive_m", "validate_session_m", "update_contact_m", "validate_session_m", "update_contact_m"], _host.Sandbox.Calls.All.Select(call => call.RestCall));
    }

    [Fact]
    public async Task A_keep_alive_answering_1011_takes_the_customer_to_sign_in_writes_nothing_and_resumes_after_it()
    {
        var chat = Chat();
        var sessionId = await _host.BindDirectlyAsync(Customer);
        await chat.SayAsync("switch my plan");
        await chat.ClickAsync("Premium");
        _host.Time.Advance(TimeSpan.FromMinutes(11));
        // Meanwhile the session ended in Aria (signed out elsewhere): the keep-alive is the first to hear of it.
        _host.Sandbox.Write(state => state.Sessions.Single(session => session.SessionId == sessionId).Killed = true);
        _host.Sandbox.Calls.Clear();

        var confirm = await chat.ClickAsync("Confirm");

        var call = Assert.Single(_host.Sandbox.Calls.All);
        Assert.Equal(("keep_alive_m", 1011L), (call.RestCall, call.ErrorCode));
        Assert.Contains("Your session has expired", string.Join("\n", AssistantConversation.Texts(confirm)), StringComparison.Ordinal);
        Assert.Null(await _host.Bindings.GetAsync(Customer));
        Assert.Contains(_host.Logs.GetSnapshot(), log => log.Message.Contains("1011 on keep_alive_m", StringComparison.Ordinal));

        var link = AssistantTestHost.LinkIn(confirm.First(reply => reply.Attachments is { Count: > 0 }));
        var page = await AssistantTestHost.SignInOnPageAsync(_host.NewBrowser(), link);
        var resumed = await chat.SayAsync(page.Code!);
        Assert.Contains(resumed, reply => reply.Attachments?.Any(a => a.ContentType == ContentTypes.AdaptiveCard) == true);
        Assert.Equal(0, _host.Sandbox.Calls.All.Count(c => c.RestCall == "replace_acct_plan_m" && c.DoWrite == true));
        var done = await chat.ClickAsync("Confirm");
        Assert.Contains("You're now on Premium", string.Join("\n", AssistantConversation.Texts(done)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_keep_alive_network_fault_does_not_break_a_read_turn_and_the_next_turn_tries_again()
    {
        var chat = Chat();
        var sessionId = await _host.BindDirectlyAsync(Customer);
        var boundAt = _host.Time.GetUtcNow();
        _host.Time.Advance(TimeSpan.FromMinutes(11));
        _host.Sandbox.Faults.HttpStatusNext("keep_alive_m", 503);

        var replies = await chat.SayAsync("switch my plan");

        Assert.Contains("You're on Standard", string.Join("\n", AssistantConversation.Texts(replies)), StringComparison.Ordinal);
        Assert.Empty(_host.Sandbox.Faults.Pending); // the keep-alive was sent and met the fault
        Assert.Equal(0, _host.Sandbox.Calls.Count("keep_alive_m"));
        Assert.Equal(boundAt, (await _host.Bindings.GetAsync(Customer))!.ExtendedAt);
        var warning = Assert.Single(_host.Logs.GetSnapshot(), log => log.Message.StartsWith("keep_alive_m failed", StringComparison.Ordinal));
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.DoesNotContain(sessionId, warning.Message, StringComparison.Ordinal);

        _host.Time.Advance(TimeSpan.FromMinutes(1));
        await chat.SayAsync("Premium");
        Assert.Equal(1, _host.Sandbox.Calls.Count("keep_alive_m"));
        Assert.Equal(_host.Time.GetUtcNow(), (await _host.Bindings.GetAsync(Customer))!.ExtendedAt);
    }

    [Fact]
    public async Task A_keep_alive_network_fault_with_Aria_down_altogether_acts_on_nothing()
    {
        await _host.BindDirectlyAsync(Customer);
        _host.Time.Advance(TimeSpan.FromMinutes(11));
        _host.Sandbox.Faults.HttpStatusNext(null, 503, 20);

        SessionCheck? check = null;
        await _host.RunTurnAsync(Customer, async turn => check = await _host.AccountSession.CheckAsync(turn, CancellationToken.None));

        Assert.Equal(SessionCheck.Unavailable, check);
        Assert.NotNull(await _host.Bindings.GetAsync(Customer));
    }

    [Fact]
    public async Task Two_turns_extending_the_same_binding_at_once_leave_one_intact_binding()
    {
        var sessionId = await _host.BindDirectlyAsync(Customer);
        _host.Time.Advance(TimeSpan.FromMinutes(12));

        var checks = new SessionCheck?[2];
        await Task.WhenAll(Enumerable.Range(0, 2).Select(i =>
            _host.RunTurnAsync(Customer, async turn => checks[i] = await _host.AccountSession.CheckAsync(turn, CancellationToken.None))));

        Assert.All(checks, check => Assert.True(check!.IsAccount(1000001)));
        var binding = (await _host.Bindings.GetAsync(Customer))!;
        Assert.Equal(sessionId, binding.AriaSessionId);
        Assert.Equal(_host.Time.GetUtcNow(), binding.ExtendedAt);
        Assert.InRange(_host.Sandbox.Calls.Count("keep_alive_m"), 1, 2);
        Assert.True(_host.IsSessionLive(sessionId));
    }

    /// <summary>Tests with a setting of their own or a fixed start time: a host per test, signed in as convo1/user1.</summary>
    public sealed class WithOwnHost
    {
        private static readonly BindingKey Customer = new(Channels.Webchat, "convo1", "user1");

        [Theory]
        // The preview is still fresh: the turn's validation is the last call before the write.
        [InlineData("00:30:00", new[] { "keep_alive_m", "validate_session_m", "replace_acct_plan_m" })]
        // The preview is older than SelfService:PreviewFreshness (10 min) and is read again: validated again before the
        // write, and the keep-alive (once) stays first.
        [InlineData("00:10:00", new[] { "keep_alive_m", "validate_session_m", "replace_acct_plan_m", "validate_session_m", "replace_acct_plan_m" })]
        public async Task In_a_write_turn_a_due_keep_alive_goes_before_the_validation_and_the_validation_stays_last_before_the_write(string previewFreshness, string[] expected)
        {
            // A fixed morning: eleven minutes later is the same billing day, so a refreshed preview has the same numbers
            // (from the real "now", a run just before midnight would see the proration change and a new preview).
            await using var host = new AssistantTestHost(new() { ["SelfService:PreviewFreshness"] = previewFreshness }, start: new DateTimeOffset(2026, 11, 25, 10, 0, 0, TimeSpan.Zero));
            host.Sandbox.Reset();
            var chat = host.Conversation();
            await host.BindDirectlyAsync(Customer);
            await chat.SayAsync("switch my plan");
            await chat.ClickAsync("Premium");
            host.Time.Advance(TimeSpan.FromMinutes(11));
            host.Sandbox.Calls.Clear();

            var done = await chat.ClickAsync("Confirm");

            Assert.Contains("You're now on Premium", string.Join("\n", AssistantConversation.Texts(done)), StringComparison.Ordinal);
            var calls = host.Sandbox.Calls.All;
            Assert.Equal(expected, calls.Select(call => call.RestCall));
            Assert.Equal(("validate_session_m", "replace_acct_plan_m", true), (calls[^2].RestCall, calls[^1].RestCall, calls[^1].DoWrite));
            Assert.All(calls, call => Assert.Equal(0, call.ErrorCode));
        }

        [Fact]
        public async Task No_keep_alive_before_it_is_due_and_the_extension_is_recorded_with_the_binding()
        {
            await using var host = new AssistantTestHost(new() { ["AriaSession:KeepAliveAfter"] = "00:05:00" });
            var boundAt = host.Time.GetUtcNow();
            await host.BindDirectlyAsync(Customer);
            var storedBefore = Assert.Single(await host.Storage.ReadPrefixAsync("session-bindings/c/", 10));

            host.Time.Advance(TimeSpan.FromMinutes(4));
            await host.RunTurnAsync(Customer, turn => host.AccountSession.CheckAsync(turn, CancellationToken.None));
            Assert.Equal(0, host.Sandbox.Calls.Count("keep_alive_m"));

            host.Time.Advance(TimeSpan.FromMinutes(1));
            await host.RunTurnAsync(Customer, turn => host.AccountSession.CheckAsync(turn, CancellationToken.None));
            Assert.Equal(1, host.Sandbox.Calls.Count("keep_alive_m"));
            var binding = (await host.Bindings.GetAsync(Customer))!;
            Assert.Equal(boundAt + TimeSpan.FromMinutes(5), binding.ExtendedAt);
            Assert.Equal(boundAt, binding.BoundAt);
            // Same record, same place, same expiry: only the extension time changed.
            var storedAfter = Assert.Single(await host.Storage.ReadPrefixAsync("session-bindings/c/", 10));
            Assert.Equal(storedBefore.Value.ExpiresAt, storedAfter.Value.ExpiresAt);
            Assert.NotEqual(storedBefore.Value.ETag, storedAfter.Value.ETag);
        }

        [Fact]
        public async Task The_host_refuses_a_keep_alive_threshold_out_of_range()
        {
            foreach (var value in new[] { "00:00:30", "2.00:00:00" })
            {
                await using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
                {
                    builder.UseEnvironment("Development");
                    builder.UseSetting("State:Provider", "Memory");
                    builder.UseSetting("AriaSession:KeepAliveAfter", value);
                });
                var failure = Assert.ThrowsAny<Exception>(() => factory.CreateClient());
                Assert.Contains("KeepAliveAfter", failure.ToString(), StringComparison.Ordinal);
            }
            Assert.Equal(TimeSpan.FromMinutes(10), new AriaSessionOptions().KeepAliveAfter);
        }
    }
}
