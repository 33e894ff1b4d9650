var builder = WebApplication.CreateBuilder(args);
var app = builder.Build();
app.MapGet("/", () => "Aria sandbox host: endpoints arrive with the sandbox itself.");
app.Run();
