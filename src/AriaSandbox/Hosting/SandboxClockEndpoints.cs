using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Aria.Sandbox.Hosting;

/// <summary>
/// The Development admin endpoints for simulated time and event notifications (mounted by
/// <c>MapAriaSandbox</c> under <c>/aria-sandbox/admin</c>, so 404 wherever the sandbox is off):
/// <c>GET /clock</c>, <c>POST /clock/advance</c> with <c>{"days": N}</c> or <c>{"hours": N}</c>,
/// and <c>GET /events</c>, which lists the documents without their bodies (they carry the auth key).
/// </summary>
internal static class SandboxClockEndpoints
{
    /// <summary>A bound on one advance, so a typo cannot run the billing engine for centuries under the lock.</summary>
    private const int MaxDays = 3660;

    public static void MapSandboxClockAndEvents(this RouteGroupBuilder admin)
    {
        admin.MapGet("/clock", (AriaSandbox sandbox) => Clock(sandbox));
        admin.MapPost("/clock/advance", async (HttpContext context, AriaSandbox sandbox) =>
        {
            AdvanceRequest? request;
            try
            {
                request = await JsonSerializer.DeserializeAsync<AdvanceRequest>(context.Request.Body, cancellationToken: context.RequestAborted);
            }
            catch (JsonException)
            {
                request = null;
            }

            var by = TimeSpan.FromDays(request?.Days ?? 0) + TimeSpan.FromHours(request?.Hours ?? 0);
            if (request is null || (request.Days is null && request.Hours is null) || request.Days < 0 || request.Hours < 0 || by > TimeSpan.FromDays(MaxDays))
            {
                return Results.BadRequest(new { error = $"the body must be a JSON object with \"days\" and/or \"hours\": whole numbers from 0, {MaxDays} days at most" });
            }

            var advanced = sandbox.AdvanceClock(by);
            return Results.Ok(new { today = Date(advanced.Today), events = advanced.Events });
        });
        admin.MapGet("/events", (AriaSandbox sandbox) => sandbox.Events.Select(e => new
        {
            transaction_id = e.TransactionId,
            event_ids = new[] { e.EventId },
            event_label = e.EventLabel,
            @class = e.Class.ToString(),
            acct_no = e.AcctNo,
            client_receipt_id = e.ClientReceiptId,
            created = e.CreatedAt,
            status = e.Status.ToString().ToLowerInvariant(),
            delivered = e.Status == Events.SandboxEventStatus.Delivered,
            attempts = e.Attempts,
            last_error = e.LastError,
        }));
    }

    private static object Clock(AriaSandbox sandbox) => new
    {
        now = sandbox.Clock.GetUtcNow(),
        today = Date(sandbox.Clock.Today),
        offset_hours = sandbox.Clock.Offset.TotalHours,
    };

    private static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private sealed record AdvanceRequest(
        [property: JsonPropertyName("days")] int? Days,
        [property: JsonPropertyName("hours")] int? Hours);
}
