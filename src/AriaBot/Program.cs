using AriaBot.Echo;
using BotRuntime.Builder;
using BotRuntime.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddBotRuntime();
builder.Services.AddSingleton<IBot, EchoBot>();

var app = builder.Build();
app.MapBotRuntime();
app.Run();

public partial class Program;
