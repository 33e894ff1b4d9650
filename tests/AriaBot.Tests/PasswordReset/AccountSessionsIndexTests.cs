using AriaBot.PasswordReset;
using AriaBot.Session;
using BotRuntime.Schema;
using BotRuntime.State;
using Microsoft.Extensions.DependencyInjection;

namespace AriaBot.Tests.PasswordReset;

/// <summary>
/// Ending an account's sessions (after a reset) finds its bindings through the by-account index written with each
/// binding, not by reading the binding table; a binding made before the index existed is still found while one can live.
/// </summary>
public sealed class AccountSessionsIndexTests
{
    private const long Alice = 1000001;
    private const long Bob = 1000002;

    [Fact]
    public async Task With_the_index_complete_only_the_accounts_indexed_bindings_are_read_and_ended()
    {
        await using var host = new AssistantTestHost();
        await MarkIndexCompleteAsync(host);
        var bobWeb = new BindingKey(Channels.Webchat, "c-bob-1", "u-bob");
        var bobOther = new BindingKey(Channels.Webchat, "c-bob-2", "u-bob");
        var alice = new BindingKey(Channels.Webchat, "c-alice", "u-alice");
        await host.BindDirectlyAsync(bobWeb, "bob", "bob-demo-1");
        await host.BindDirectlyAsync(bobOther, "bob", "bob-demo-1");
        await host.BindDirectlyAsync(alice);
        Assert.Equal(2, (await host.Storage.ReadPrefixAsync(StorageSessionBindings.AccountIndexPrefix(Bob), 10)).Count);

        var ended = await host.Services.GetRequiredService<AccountSessionsEnder>().EndAllAsync(Bob, CancellationToken.None);

        Assert.Equal(2, ended);
        Assert.Null(await host.Bindings.GetAsync(bobWeb));
        Assert.Null(await host.Bindings.GetAsync(bobOther));
        Assert.NotNull(await host.Bindings.GetAsync(alice));
        Assert.Empty(await host.Storage.ReadPrefixAsync(StorageSessionBindings.AccountIndexPrefix(Bob), 10));
        Assert.Single(await host.Storage.ReadPrefixAsync(StorageSessionBindings.AccountIndexPrefix(Alice), 10));
    }

    [Fact]
    public async Task An_index_entry_left_by_a_chat_that_now_holds_another_account_ends_nothing()
    {
        await using var host = new AssistantTestHost();
        await MarkIndexCompleteAsync(host);
        var chat = new BindingKey(Channels.Webchat, "c-shared", "u-shared");
        await host.BindDirectlyAsync(chat, "bob", "bob-demo-1");
        await host.BindDirectlyAsync(chat); // signed in again, as Alice

        Assert.Equal(0, await host.Services.GetRequiredService<AccountSessionsEnder>().EndAllAsync(Bob, CancellationToken.None));
        Assert.Equal(Alice, (await host.Bindings.GetAsync(chat))!.AccountNo);
    }

    [Fact]
    public async Task A_binding_without_an_index_entry_from_an_earlier_build_is_still_found_while_one_can_live()
    {
        await using var host = new AssistantTestHost();
        var chat = new BindingKey(Channels.Webchat, "c-old", "u-old");
        await host.BindDirectlyAsync(chat, "bob", "bob-demo-1");
        // As an earlier build left it: the binding, no index entry.
        foreach (var (key, _) in await host.Storage.ReadPrefixAsync(StorageSessionBindings.AccountIndexPrefix(Bob), 10))
        {
            await host.Storage.DeleteAsync(key);
        }

        Assert.Equal(1, await host.Services.GetRequiredService<AccountSessionsEnder>().EndAllAsync(Bob, CancellationToken.None));
        Assert.Null(await host.Bindings.GetAsync(chat));
    }

    private static Task MarkIndexCompleteAsync(AssistantTestHost host) =>
        host.Storage.WriteAsync(AccountSessionsEnder.IndexCompleteKey, new { At = host.Time.GetUtcNow().AddDays(-1) }, StoreWrite.AnyETag);
}
