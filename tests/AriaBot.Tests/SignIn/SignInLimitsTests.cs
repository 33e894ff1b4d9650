using System.Net;
using BotRuntime.State;
using Microsoft.Extensions.DependencyInjection;

namespace AriaBot.Tests.SignIn;

/// <summary>
/// The sign-in page's limits reserve before they act (a slot is taken before Aria is asked, so concurrent attempts
/// cannot all slip past a check), hold across instances (they live in the state store), and every answer to a
/// sign-in post takes the same minimum time on the host's clock, whatever Aria took.
/// </summary>
public sealed class SignInLimitsTests
{
    [Fact]
    public async Task Twenty_concurrent_wrong_passwords_for_one_user_id_reach_Aria_at_most_the_limit()
    {
        // The per-IP limit is out of the way: this is about the per-user-id limit (default 5).
        await using var host = new AssistantTestHost(new() { ["SignIn:RateLimits:PostsPerIp"] = "1000" });
        var link = await AssistantTestHost.BeginAsync(host.Chat());
        var form = await AssistantTestHost.GetAsync(host.Client, link);

        var attempts = Enumerable.Range(0, 20)
            .Select(i => Task.Run(() => AssistantTestHost.PostAsync(host.Client, AssistantTestHost.FormFields(form, "alice", $"wrong-{i}"))))
            .ToList();
        var pages = await Task.WhenAll(attempts);

        Assert.Equal(5, host.Sandbox.Calls.Count("set_session_auth_m"));
        Assert.Equal(5, pages.Count(page => page.Status == HttpStatusCode.OK));
        Assert.Equal(15, pages.Count(page => page.Status == HttpStatusCode.TooManyRequests));

        // The limit is on; even the right password waits for the window.
        Assert.Equal(HttpStatusCode.TooManyRequests, (await AssistantTestHost.PostAsync(host.Client, AssistantTestHost.FormFields(form, "alice", "alice-demo-1"))).Status);
        Assert.Equal(5, host.Sandbox.Calls.Count("set_session_auth_m"));
    }

    [Fact]
    public async Task A_successful_sign_in_gives_its_reserved_slot_back()
    {
        await using var host = new AssistantTestHost(new() { ["SignIn:RateLimits:FailedSignInsPerUserId"] = "2" });
        var first = await AssistantTestHost.SignInOnPageAsync(host.Client, await AssistantTestHost.BeginAsync(host.Chat()));
        Assert.NotNull(first.Code);

        // Two failures after a success still fit in a limit of two: the success did not use up a slot.
        var form = await AssistantTestHost.GetAsync(host.Client, await AssistantTestHost.BeginAsync(host.Chat(conversationId: "convo2")));
        Assert.Equal(HttpStatusCode.OK, (await AssistantTestHost.PostAsync(host.Client, AssistantTestHost.FormFields(form, "alice", "bad-1"))).Status);
        Assert.Equal(HttpStatusCode.OK, (await AssistantTestHost.PostAsync(host.Client, AssistantTestHost.FormFields(form, "alice", "bad-2"))).Status);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await AssistantTestHost.PostAsync(host.Client, AssistantTestHost.FormFields(form, "alice", "alice-demo-1"))).Status);
    }

    [Fact]
    public async Task The_per_IP_limit_holds_across_instances_sharing_the_state_store()
    {
        var shared = new MemoryStorage(TimeProvider.System);
        var settings = new Dictionary<string, string?> { ["SignIn:RateLimits:PostsPerIp"] = "3" };
        await using var one = new AssistantTestHost(settings, services => services.AddSingleton<IStorage>(shared));
        await using var two = new AssistantTestHost(settings, services => services.AddSingleton<IStorage>(shared));

        var link = await AssistantTestHost.BeginAsync(one.Chat());
        var formOne = await AssistantTestHost.GetAsync(one.Client, link);
        var formTwo = await AssistantTestHost.GetAsync(two.Client, link);
        Assert.Equal(HttpStatusCode.OK, formTwo.Status);

        Assert.Equal(HttpStatusCode.OK, (await AssistantTestHost.PostAsync(one.Client, AssistantTestHost.FormFields(formOne, "user1", "bad"))).Status);
        Assert.Equal(HttpStatusCode.OK, (await AssistantTestHost.PostAsync(one.Client, AssistantTestHost.FormFields(formOne, "user2", "bad"))).Status);
        Assert.Equal(HttpStatusCode.OK, (await AssistantTestHost.PostAsync(two.Client, AssistantTestHost.FormFields(formTwo, "user3", "bad"))).Status);

        // The fourth post from the same address, on the other instance, is over the limit of three.
        var limited = await AssistantTestHost.PostAsync(two.Client, AssistantTestHost.FormFields(formTwo, "alice", "alice-demo-1"));
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.Status);
        Assert.Contains("Too many attempts", limited.Text, StringComparison.Ordinal);
        Assert.Equal(1, two.Sandbox.Calls.Count("set_session_auth_m"));
    }

    [Theory]
    [InlineData("nobody-here", "whatever-1")] // unknown user id
    [InlineData("alice", "whatever-1")]       // existing user id, wrong password
    [InlineData("alice", "alice-demo-1")]     // success
    public async Task A_sign_in_post_is_answered_no_sooner_than_the_minimum_response_time_on_the_hosts_clock(string userId, string password)
    {
        await using var host = new AssistantTestHost(new() { ["SignIn:MinimumResponseTime"] = "00:00:00.400" });
        var link = await AssistantTestHost.BeginAsync(host.Chat());
        var form = await AssistantTestHost.GetAsync(host.Client, link);

        var answer = Task.Run(() => AssistantTestHost.PostAsync(host.Client, AssistantTestHost.FormFields(form, userId, password)));
        // Aria has answered; the page has not (the fake clock has not moved).
        await WaitUntilAsync(() => host.Sandbox.Calls.Count("set_session_auth_m") == 1);
        Assert.False(await CompletesSoonAsync(answer));

        host.Time.Advance(TimeSpan.FromMilliseconds(399));
        Assert.False(await CompletesSoonAsync(answer));

        host.Time.Advance(TimeSpan.FromMilliseconds(1));
        var page = await answer.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal(password == "alice-demo-1", page.Code is not null);
    }

    [Fact]
    public async Task A_limited_sign_in_post_also_waits_the_minimum_response_time()
    {
        await using var host = new AssistantTestHost(new()
        {
            ["SignIn:MinimumResponseTime"] = "00:00:00.400",
            ["SignIn:RateLimits:FailedSignInsPerUserId"] = "1",
        });
        var link = await AssistantTestHost.BeginAsync(host.Chat());
        var form = await AssistantTestHost.GetAsync(host.Client, link);
        var first = Task.Run(() => AssistantTestHost.PostAsync(host.Client, AssistantTestHost.FormFields(form, "alice", "bad-1")));
        await WaitUntilAsync(() => host.Sandbox.Calls.Count("set_session_auth_m") == 1);
        host.Time.Advance(TimeSpan.FromMilliseconds(400));
        await first.WaitAsync(TimeSpan.FromSeconds(30));

        var limited = Task.Run(() => AssistantTestHost.PostAsync(host.Client, AssistantTestHost.FormFields(form, "alice", "bad-2")));
        Assert.False(await CompletesSoonAsync(limited));
        // No Aria call marks the moment the page starts counting, and on a loaded machine the post may not have reached
        // it yet: move the clock by the minimum until the answer comes (it came only once the clock moved).
        for (var step = 0; step < 50 && !limited.IsCompleted; step++)
        {
            host.Time.Advance(TimeSpan.FromMilliseconds(400));
            await Task.WhenAny(limited, Task.Delay(TimeSpan.FromMilliseconds(200)));
        }
        Assert.Equal(HttpStatusCode.TooManyRequests, (await limited.WaitAsync(TimeSpan.FromSeconds(30))).Status);
        Assert.Equal(1, host.Sandbox.Calls.Count("set_session_auth_m"));
    }

    /// <summary>
    /// Whether the request finishes while the fake clock stands still. Not a timing assertion: on that clock the
    /// answer can never come, however long we look; the short real wait only bounds how long we look.
    /// </summary>
    private static async Task<bool> CompletesSoonAsync(Task task)
    {
        var finished = await Task.WhenAny(task, Task.Delay(TimeSpan.FromMilliseconds(300)));
        return finished == task;
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (var i = 0; i < 1000 && !condition(); i++)
        {
            await Task.Delay(10);
        }
        Assert.True(condition(), "timed out waiting for the condition");
    }
}
