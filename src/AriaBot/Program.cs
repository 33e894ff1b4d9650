using AriaBot.Echo;
using BotRuntime.Builder;
using BotRuntime.DirectLine;
using BotRuntime.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddBotRuntime();
builder.Services.AddDirectLine();
builder.Services.AddSingleton<IBot, EchoBot>();

var app = builder.Build();
app.MapBotRuntime();
app.MapDirectLine();
app.Run();

public partial class Program;
