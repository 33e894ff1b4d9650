using System.Diagnostics;
using OpenTelemetry;

namespace AriaBot.Telemetry;

/// <summary>
/// The last line before any exporter: removes from every span what may carry a secret — the query string (Direct
/// Line's <c>t=</c> token, sign-in <c>state=</c>, page links), the full URL, headers (<c>Authorization</c>, cookies),
/// bodies, SQL parameters — and replaces the raw path by its route template. Our own sources never set these; this
/// catches what a library's instrumentation may add in a later version.
/// </summary>
public sealed class TelemetryScrubber : BaseProcessor<Activity>
{
    /// <summary>Tag-name fragments that are never exported.</summary>
    private static readonly string[] Forbidden =
    [
        "url.query", "url.full", "http.url", "http.target", "http.request.header", "http.response.header", "authorization", "cookie",
        "body", "db.query.parameter", "db.statement", "db.query.text", "auth_key", "session_id", "token", "password",
    ];

    public override void OnEnd(Activity data)
    {
        ArgumentNullException.ThrowIfNull(data);
        Scrub(data);
    }

    internal static void Scrub(Activity activity)
    {
        List<string>? remove = null;
        foreach (var tag in activity.TagObjects)
        {
            if (IsForbidden(tag.Key))
            {
                (remove ??= []).Add(tag.Key);
            }
        }
        foreach (var key in remove ?? [])
        {
            activity.SetTag(key, null);
        }
        // The raw path can hold a conversation id or a link's id; the route template says the same without them.
        if (activity.GetTagItem("url.path") is not null)
        {
            activity.SetTag("url.path", activity.GetTagItem("http.route") as string ?? "(redacted)");
        }
        // A span name is the route template for matched requests; an unmatched one gets the method only.
        if (activity.DisplayName.Contains('?', StringComparison.Ordinal))
        {
            activity.DisplayName = activity.DisplayName[..activity.DisplayName.IndexOf('?', StringComparison.Ordinal)];
        }
    }

    internal static bool IsForbidden(string key)
    {
        // A loop, not LINQ: this runs for every tag of every exported span.
        foreach (var fragment in Forbidden)
        {
            if (key.Contains(fragment, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }
        return false;
    }
}
