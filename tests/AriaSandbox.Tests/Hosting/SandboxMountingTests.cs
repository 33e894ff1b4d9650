using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Sandbox = Aria.Sandbox.AriaSandbox;

namespace AriaSandbox.Tests.Hosting;

public sealed class SandboxMountingTests
{
    private static readonly string[] Paths =
    [
        "/aria-sandbox/api/ws/api_ws_class_dispatcher.php", "/aria-sandbox/v1/core", "/aria-sandbox/admin/faults",
        "/aria-sandbox/admin/reset", "/aria-sandbox/admin/demo-accounts", "/aria-sandbox/admin/calls",
        "/aria-sandbox/admin/clock", "/aria-sandbox/admin/clock/advance", "/aria-sandbox/admin/events",
    ];

    [Theory]
    [InlineData("Production", false)]
    [InlineData("Staging", false)]
    [InlineData("Development", false)]
    public async Task Sandbox_and_admin_answer_404_unless_Development_with_UseSandbox(string environment, bool useSandbox)
    {
        await using var app = SandboxWebHost.Build(environment, useSandbox);
        await app.StartAsync();
        using var http = app.GetTestClient();
        foreach (var path in Paths)
        {
            Assert.Equal(HttpStatusCode.NotFound, (await http.PostAsync(new Uri(path, UriKind.Relative), SandboxWebHost.Form(("rest_call", "get_client_plans_basic_m")))).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(new Uri(path, UriKind.Relative))).StatusCode);
        }
    }

    // Mapping reads the validated options, so the refusal may come from Build's MapAriaSandbox or from start.
    private static async Task StartAsync(string environment, string baseUrl)
    {
        await using var app = SandboxWebHost.Build(environment, useSandbox: true, baseUrl: baseUrl);
        await app.StartAsync();
    }

    [Fact]
    public async Task Start_up_refuses_the_sandbox_outside_Development()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => StartAsync(Environments.Production, "http://localhost:3978/aria-sandbox"));
        Assert.Contains("only in Development", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_up_refuses_the_sandbox_next_to_a_real_Aria_base_url()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => StartAsync(Environments.Development, "https://secure.ariasystems.net"));
        Assert.Contains("real Aria", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task In_Development_the_dispatcher_json_endpoint_and_admin_work()
    {
        await using var app = SandboxWebHost.Build(Environments.Development, useSandbox: true);
        await app.StartAsync();
        using var http = app.GetTestClient();

        var form = await http.PostAsync(new Uri("/aria-sandbox/api/ws/api_ws_class_dispatcher.php", UriKind.Relative), SandboxWebHost.Form(("rest_call", "get_acct_no_from_user_id_m"), ("user_id", "bob")));
        Assert.Equal(1000002, JsonNode.Parse(await form.Content.ReadAsStringAsync())!["acct_no"]!.GetValue<long>());
        var json = await http.PostAsJsonAsync(new Uri("/aria-sandbox/v1/core", UriKind.Relative), new Dictionary<string, object>
        {
            ["rest_call"] = "get_acct_no_from_user_id_m", ["client_no"] = 7000100, ["auth_key"] = SandboxWebHost.AuthKey, ["user_id"] = "carol",
        });
        Assert.Equal(1000003, JsonNode.Parse(await json.Content.ReadAsStringAsync())!["acct_no"]!.GetValue<long>());

        var fault = await http.PostAsJsonAsync(new Uri("/aria-sandbox/admin/faults", UriKind.Relative), new { kind = "error_code", rest_call = "get_acct_no_from_user_id_m", error_code = 1001, count = 1 });
        Assert.Equal(HttpStatusCode.NoContent, fault.StatusCode);
        var failed = await http.PostAsync(new Uri("/aria-sandbox/api/ws/api_ws_class_dispatcher.php", UriKind.Relative), SandboxWebHost.Form(("rest_call", "get_acct_no_from_user_id_m"), ("user_id", "bob")));
        Assert.Equal(1001, JsonNode.Parse(await failed.Content.ReadAsStringAsync())!["error_code"]!.GetValue<long>());
        Assert.Equal(HttpStatusCode.BadRequest, (await http.PostAsJsonAsync(new Uri("/aria-sandbox/admin/faults", UriKind.Relative), new { kind = "nonsense" })).StatusCode);
        var broken = await http.PostAsync(new Uri("/aria-sandbox/admin/faults", UriKind.Relative), new StringContent("{oops", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, broken.StatusCode);
        Assert.DoesNotContain("   at ", await broken.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var demo = JsonNode.Parse(await http.GetStringAsync(new Uri("/aria-sandbox/admin/demo-accounts", UriKind.Relative)))!.AsArray();
        Assert.Contains(demo, a => a!["user_id"]!.GetValue<string>() == "alice" && a["password"]!.GetValue<string>() == "alice-demo-1");
        var calls = JsonNode.Parse(await http.GetStringAsync(new Uri("/aria-sandbox/admin/calls?rest_call=get_acct_no_from_user_id_m", UriKind.Relative)))!.AsArray();
        Assert.Equal(2, calls.Count);

        Assert.Equal(HttpStatusCode.NoContent, (await http.PostAsync(new Uri("/aria-sandbox/admin/reset", UriKind.Relative), null)).StatusCode);
        Assert.Empty(app.Services.GetRequiredService<Sandbox>().Calls.All);
    }

    [Fact]
    public async Task Wrong_key_gives_1004_unknown_call_gives_minus_1_and_a_foreign_ip_gives_1003()
    {
        await using var app = SandboxWebHost.Build(Environments.Development, useSandbox: true);
        await app.StartAsync();
        using var http = app.GetTestClient();
        async Task<long> CodeAsync(FormUrlEncodedContent content) =>
            JsonNode.Parse(await (await http.PostAsync(new Uri("/aria-sandbox/api/ws/api_ws_class_dispatcher.php", UriKind.Relative), content)).Content.ReadAsStringAsync())!["error_code"]!.GetValue<long>();

        Assert.Equal(1004, await CodeAsync(new FormUrlEncodedContent([new("rest_call", "get_client_plans_basic_m"), new("client_no", "7000100"), new("auth_key", "wrong")])));
        Assert.Equal(1004, await CodeAsync(new FormUrlEncodedContent([new("rest_call", "get_client_plans_basic_m"), new("client_no", "1"), new("auth_key", SandboxWebHost.AuthKey)])));
        Assert.Equal(-1, await CodeAsync(SandboxWebHost.Form(("rest_call", "get_acct_balance_m"))));
        Assert.Equal(0, await CodeAsync(SandboxWebHost.Form(("rest_call", "get_client_plans_basic_m"))));
        app.Services.GetRequiredService<Sandbox>().SetAllowedIpAddresses("198.51.100.1");
        Assert.Equal(1003, await CodeAsync(SandboxWebHost.Form(("rest_call", "get_client_plans_basic_m"))));
    }
}
