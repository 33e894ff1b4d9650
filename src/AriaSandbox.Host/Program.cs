// Runs the Aria simulator on its own: `dotnet run --project src/AriaSandbox.Host`, then point a
// client at Aria:BaseUrl=http://localhost:5088/aria-sandbox (client_no and auth_key: see README).
var builder = WebApplication.CreateBuilder(args);
builder.Services.AddAriaSandbox(builder.Configuration);

var app = builder.Build();
app.MapGet("/", () => Results.Text(
    "Aria sandbox. POST form calls to /aria-sandbox/api/ws/api_ws_class_dispatcher.php or JSON to /aria-sandbox/v1/core; " +
    "demo sign-ins at /aria-sandbox/admin/demo-accounts; faults at /aria-sandbox/admin/faults; " +
    "simulated time at /aria-sandbox/admin/clock (POST /aria-sandbox/admin/clock/advance {\"days\": N}); " +
    "event notifications (Aria:SandboxEvents:Url) at /aria-sandbox/admin/events."));
app.MapAriaSandbox();
app.Run();

public partial class Program;
