using System.Net;
using System.Net.Http.Json;
using BotRuntime.Schema;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Options;

namespace AriaBot.Tests.Hosting;

/// <summary>The real host, as <c>dotnet run --project src/AriaBot</c> starts it (state in memory for the test).</summary>
public sealed class HostTests
{
    private static string Messages(Exception exception) => exception switch
    {
        AggregateException aggregate => string.Join(" | ", aggregate.InnerExceptions.Select(Messages)),
        { InnerException: { } inner } => exception.Message + " | " + Messages(inner),
        _ => exception.Message,
    };

    private static WebApplicationFactory<Program> Host(string environment = "Development") =>
        new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            builder.UseEnvironment(environment);
            builder.UseSetting("State:Provider", "Memory");
        });

    [Fact]
    public async Task Liveness_answers_ok()
    {
        await using var factory = Host();
        using var client = factory.CreateClient();
        var response = await client.GetAsync(new Uri("/healthz", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task An_expect_replies_activity_gets_the_bots_reply_in_the_response()
    {
        await using var factory = Host();
        using var client = factory.CreateClient();
        var activity = new Activity
        {
            Type = ActivityTypes.Message,
            Id = "m1",
            ChannelId = "test",
            Conversation = new ConversationAccount { Id = "curl-1" },
            From = new ChannelAccount { Id = "u1" },
            Recipient = new ChannelAccount { Id = "bot" },
            Text = "hello",
            DeliveryMode = DeliveryModes.ExpectReplies,
        };
        var response = await client.PostAsJsonAsync(new Uri("/api/messages", UriKind.Relative), activity, BotJson.Options);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var replies = await response.Content.ReadFromJsonAsync<ExpectedReplies>(BotJson.Options);
        Assert.NotEmpty(replies!.Activities);
        Assert.All(replies.Activities, reply => Assert.Equal("m1", reply.ReplyToId));
    }

    [Fact]
    public void In_production_without_an_app_id_the_host_refuses_to_start()
    {
        // Everything else a production host needs is configured, so the missing app id is what stops it.
        using var factory = Host("Production").WithWebHostBuilder(builder =>
        {
            builder.UseSetting("Aria:UseSandbox", "false");
            builder.UseSetting("Aria:BaseUrl", "https://secure.future.stage.ariasystems.net");
            builder.UseSetting("Aria:ClientNo", "1234");
            builder.UseSetting("Aria:AuthKey", "not-a-real-key-but-long-enough");
            builder.UseSetting("DirectLine:Secrets:0", "production-direct-line-secret-0123456789");
            builder.UseSetting("DirectLine:SigningKey", Convert.ToBase64String(new byte[32]));
            builder.UseSetting("SignIn:PublicBaseUrl", "https://bot.example.com");
            builder.UseSetting("SelfService:TermsUrl", "https://www.example.com/terms");
        });
        var failure = Assert.ThrowsAny<Exception>(() => factory.CreateClient());
        // Start-up validates every options class; the app id rule must be among the refusals.
        Assert.True(Messages(failure).Contains("MicrosoftAppId", StringComparison.Ordinal), Messages(failure));
    }
}
