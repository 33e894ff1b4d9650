using BotRuntime.Builder;
using BotRuntime.DirectLine;
using BotRuntime.Hosting;
using BotRuntime.Schema;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

// Configured entirely from the command line by tests/directline-js (port, SQLite file, secret, signing key,
// limits), so the suite can stop it and start it again on the same store to test a restart.
var builder = WebApplication.CreateBuilder(args);
builder.AddBotRuntime();
builder.Services.AddDirectLine();
builder.Services.AddSingleton<IBot, TestBot>();

var app = builder.Build();
app.MapBotRuntime();
app.MapDirectLine();
app.Lifetime.ApplicationStarted.Register(() =>
{
    // The suite reads this line to learn the port it asked the OS to choose.
    var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
    Console.WriteLine($"LISTENING {address}");
});
app.Run();

/// <summary>Greets the user, echoes who it believes the user is, and can type first.</summary>
internal sealed class TestBot : ActivityHandler
{
    protected override async Task OnMembersAddedAsync(IReadOnlyList<ChannelAccount> membersAdded, ITurnContext turnContext, CancellationToken cancellationToken) =>
        await turnContext.SendActivityAsync($"welcome {membersAdded[0].Id}", cancellationToken: cancellationToken);

    protected override async Task OnMessageActivityAsync(ITurnContext turnContext, CancellationToken cancellationToken)
    {
        var activity = turnContext.Activity;
        if (activity.Text == "typing")
        {
            await turnContext.SendActivityAsync(new Activity { Type = ActivityTypes.Typing }, cancellationToken);
        }
        await turnContext.SendActivityAsync($"echo: {activity.Text} | from={activity.From?.Id} | channel={activity.ChannelId}", cancellationToken: cancellationToken);
    }

    protected override async Task OnEventActivityAsync(ITurnContext turnContext, CancellationToken cancellationToken) =>
        await turnContext.SendActivityAsync($"event: {turnContext.Activity.Name}", cancellationToken: cancellationToken);
}
