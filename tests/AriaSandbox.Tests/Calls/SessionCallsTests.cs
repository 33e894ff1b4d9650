namespace AriaSandbox.Tests.Calls;

/// <summary>
/// Sessions by the sandbox clock: they end the client's configured minutes after they
/// were created, <c>validate_session_m</c> does not extend them, <c>keep_alive_m</c> does.
/// </summary>
public sealed class SessionCallsTests
{
    [Fact]
    public async Task A_session_ends_the_clients_minutes_after_creation_however_often_it_is_validated()
    {
        using var aria = new SandboxDirect();
        Assert.Equal(30, aria.Sandbox.Client.SessionMinutes);
        var session = await SignInAsync(aria);

        for (var minute = 0; minute <= 25; minute += 5)
        {
            Assert.Equal(0, await ValidateAsync(aria, session));
            aria.Time.Advance(minute < 25 ? TimeSpan.FromMinutes(5) : TimeSpan.FromMinutes(5) - TimeSpan.FromSeconds(1));
        }
        // One second before the thirtieth minute it is still valid; at the thirtieth it is gone.
        Assert.Equal(0, await ValidateAsync(aria, session));
        aria.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1011, await ValidateAsync(aria, session));
        Assert.Equal(1011, await KeepAliveAsync(aria, session));
        Assert.Equal(1011, await ValidateAsync(aria, session));
    }

    [Fact]
    public async Task Keep_alive_adds_the_clients_minutes_to_the_current_expiry()
    {
        using var aria = new SandboxDirect();
        var session = await SignInAsync(aria);
        aria.Time.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal(0, await KeepAliveAsync(aria, session));

        // Created at 0, due at 30, plus 30: 60 (added to the expiry, as the Swagger words it; unverified against Aria).
        aria.Time.Advance(TimeSpan.FromMinutes(50) - TimeSpan.FromSeconds(1));
        Assert.Equal(0, await ValidateAsync(aria, session));
        aria.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1011, await ValidateAsync(aria, session));
    }

    [Fact]
    public async Task The_lifetime_is_the_clients_own_setting()
    {
        using var aria = new SandboxDirect();
        aria.Sandbox.Write(state => state.Clients[0].SessionMinutes = 45);
        var session = await SignInAsync(aria);
        aria.Time.Advance(TimeSpan.FromMinutes(44));
        Assert.Equal(0, await KeepAliveAsync(aria, session));
        aria.Time.Advance(TimeSpan.FromMinutes(45));
        Assert.Equal(0, await ValidateAsync(aria, session));
        aria.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(1011, await ValidateAsync(aria, session));
    }

    [Fact]
    public async Task Keep_alive_cannot_revive_a_killed_or_unknown_session()
    {
        using var aria = new SandboxDirect();
        var session = await SignInAsync(aria);
        Assert.Equal(0, SandboxDirect.Code(await aria.CallAsync("kill_session_m", ("session_id", session))));
        Assert.Equal(1011, await KeepAliveAsync(aria, session));
        Assert.Equal(1011, await ValidateAsync(aria, session));
        Assert.Equal(1011, await KeepAliveAsync(aria, "0123456789abcdef0123456789abcdef"));
    }

    private static async Task<string> SignInAsync(SandboxDirect aria) =>
        (await aria.CallAsync("set_session_auth_m", ("user_id", "alice"), ("password", "alice-demo-1")))["session_id"]!.GetValue<string>();

    private static async Task<long> ValidateAsync(SandboxDirect aria, string session) =>
        SandboxDirect.Code(await aria.CallAsync("validate_session_m", ("session_id", session)));

    private static async Task<long> KeepAliveAsync(SandboxDirect aria, string session) =>
        SandboxDirect.Code(await aria.CallAsync("keep_alive_m", ("session_id", session)));
}
