using BotRuntime.Dialogs;
using BotRuntime.Testing;
using Microsoft.Extensions.Time.Testing;

namespace BotRuntime.Tests.Dialogs;

public sealed class DialogExpiryTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 25, 10, 0, 0, TimeSpan.Zero));

    private DialogTestClient Client(TimeSpan? expireAfter) => new(SampleDialogs.Root(), new DialogTestClientOptions
    {
        Adapter = new TestAdapterOptions { TimeProvider = _clock },
        RunOptions = new DialogRunOptions { ExpireAfter = expireAfter, TimeProvider = _clock },
    });

    [Fact]
    public async Task A_conversation_left_longer_than_the_expiry_starts_again()
    {
        await Client(TimeSpan.FromHours(1)).Flow()
            .Send("hi").AssertReply("What would you like to do?")
            .Send("switch plan").AssertReply("You're on Silver. Which plan would you like?")
            .Do(() => _clock.Advance(TimeSpan.FromMinutes(59)), "59 minutes pass")
            .Send("gold").AssertReply("How many seats?")
            .Do(() => _clock.Advance(TimeSpan.FromMinutes(61)), "61 minutes pass")
            .Send("5").AssertReply(DialogRunOptions.DefaultExpiredText).AssertReply("What would you like to do?").AssertNoReply()
            .StartTestAsync();
    }

    [Fact]
    public async Task Without_an_expiry_a_conversation_waits_for_ever()
    {
        await Client(null).Flow()
            .Send("hi").AssertReply("What would you like to do?")
            .Do(() => _clock.Advance(TimeSpan.FromDays(400)), "a year passes")
            .Send("pay").AssertReply("How much would you like to pay?")
            .StartTestAsync();
    }
}
