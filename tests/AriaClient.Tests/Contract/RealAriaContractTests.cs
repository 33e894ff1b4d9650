using Aria.Client;
using AriaClient.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace AriaClient.Tests.Contract;

/// <summary>Runs only when a real Aria is configured; otherwise it reports, as a skip, that it did not run.</summary>
public sealed class RealAriaFactAttribute : FactAttribute
{
    public RealAriaFactAttribute()
    {
        if (RealAria.Settings is null)
        {
            Skip = "Real-Aria contract suite DID NOT RUN: set ARIA_BASE_URL, ARIA_CLIENT_NO, ARIA_AUTH_KEY, ARIA_TEST_USER_ID and ARIA_TEST_PASSWORD to run it.";
        }
    }
}

internal static class RealAria
{
    public static Dictionary<string, string?>? Settings
    {
        get
        {
            string?[] values = [Env("ARIA_BASE_URL"), Env("ARIA_CLIENT_NO"), Env("ARIA_AUTH_KEY"), Env("ARIA_TEST_USER_ID"), Env("ARIA_TEST_PASSWORD")];
            return values.Any(string.IsNullOrWhiteSpace) ? null : new()
            {
                ["Aria:BaseUrl"] = values[0], ["Aria:ClientNo"] = values[1], ["Aria:AuthKey"] = values[2],
                ["Aria:Transport"] = Env("ARIA_TRANSPORT") ?? "Form",
            };
        }
    }

    private static string? Env(string name) => Environment.GetEnvironmentVariable(name);
}

/// <summary>
/// The read-only half of the contract suite against a real Aria (sign-in, session, reads and
/// <c>do_write=false</c> previews, which change nothing), validating every reply against the Swagger.
/// </summary>
public sealed class RealAriaContractTests
{
    [RealAriaFact]
    public async Task Reads_and_previews_against_a_real_Aria_match_the_swagger()
    {
        var recorder = new WireRecorder();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(RealAria.Settings!).Build();
        var services = new ServiceCollection().AddLogging();
        services.AddAriaClient(configuration).AddHttpMessageHandler(() => recorder.CreateHandler());
        await using var provider = services.BuildServiceProvider();
        var aria = provider.GetRequiredService<IAriaClient>();

        var session = await aria.SetSessionAuthAsync(new() { UserId = Environment.GetEnvironmentVariable("ARIA_TEST_USER_ID"), Password = Environment.GetEnvironmentVariable("ARIA_TEST_PASSWORD") });
        Assert.True(session.IsSuccess, session.Error?.ToString());
        var validated = await aria.ValidateSessionAsync(new() { SessionId = session.Value!.SessionId });
        var acctNo = validated.Value!.AccountNo;
        Assert.True((await aria.GetAcctDetailsAllAsync(new() { AcctNo = acctNo })).IsSuccess);
        var plans = await aria.GetAcctPlansAsync(new() { AcctNo = acctNo });
        Assert.True(plans.IsSuccess);
        Assert.True((await aria.GetClientPlansBasicAsync(new())).IsSuccess);
        Assert.True((await aria.GetAvailPlansForAcctAsync(new() { AcctNo = acctNo })).IsSuccess);
        Assert.True((await aria.GetAcctPaymentMethodsAndTermsAsync(new() { AcctNo = acctNo })).IsSuccess);
        Assert.True((await aria.GetAcctContactsAsync(new() { AcctNo = acctNo })).IsSuccess);
        await aria.GetAcctStatementHistoryAsync(new() { AcctNo = acctNo });
        await aria.GetAcctTransHistoryAsync(new() { AccountNo = acctNo });
        await aria.GetInvoiceHistoryAsync(new() { AcctNo = acctNo });
        await aria.GetOrderAsync(new() { AcctNo = acctNo });
        await aria.GetClientItemsAllAsync(new());
        await aria.KillSessionAsync(new() { SessionId = session.Value.SessionId });

        var schema = SwaggerSchema.Load;
        foreach (var exchange in recorder.Exchanges.Where(e => e.Status == 200))
        {
            var restCall = EveryCallContractTests.RestCallOf(exchange);
            var problems = schema.Validate(exchange.ResponseJson, schema.ResponseDefinition(restCall));
            Assert.True(problems.Count == 0, $"{restCall}: {string.Join("; ", problems)}");
        }
    }
}
