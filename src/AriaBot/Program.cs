using AriaBot.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddAriaBot();

var app = builder.Build();
app.MapAriaBot();
app.Run();

public partial class Program;
