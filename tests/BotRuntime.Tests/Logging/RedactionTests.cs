using BotRuntime.Logging;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace BotRuntime.Tests.Logging;

public sealed partial class RedactionTests
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Signing in {UserId} with {Password} and key {AuthKey}, card {Card}")]
    private static partial void LogSignIn(ILogger logger, string userId, [SecretData] string password, [SecretData] string authKey, [CardData] string card);

    [Fact]
    public async Task Classified_values_never_reach_a_log_sink_through_the_bot_logging_setup()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Development" });
        builder.WebHost.UseTestServer();
        builder.AddBotLogging();
        builder.Logging.AddFakeLogging();
        await using var app = builder.Build();

        var logger = app.Services.GetRequiredService<ILogger<RedactionTests>>();
        LogSignIn(logger, "alice", "hunter2-Secret!", "AK-0123456789abcdef", "4111111111111111");

        var line = Assert.Single(app.Services.GetRequiredService<FakeLogCollector>().GetSnapshot(), r => r.Category == typeof(RedactionTests).FullName);
        var everything = line.Message + string.Join("|", line.StructuredState?.Select(pair => pair.Value) ?? []);
        Assert.Contains("alice", everything, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", everything, StringComparison.Ordinal);
        Assert.DoesNotContain("AK-0123456789abcdef", everything, StringComparison.Ordinal);
        Assert.DoesNotContain("4111111111111111", everything, StringComparison.Ordinal);
    }
}
