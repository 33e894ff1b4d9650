using System.Diagnostics;
using AriaBot.Telemetry;

namespace AriaBot.Tests.Telemetry;

/// <summary>The scrubber in front of every exporter: whatever an instrumentation library records, no secret-bearing tag leaves.</summary>
public sealed class TelemetryScrubberTests
{
    [Fact]
    public void Query_strings_urls_headers_bodies_and_sql_parameters_are_removed_and_the_path_becomes_the_route()
    {
        using var span = new Activity("GET /v3/directline/conversations/{conversationId}/stream?t=secret-token");
        span.SetTag("url.query", "t=secret-token");
        span.SetTag("url.full", "https://bot/v3/directline/conversations/c1/stream?t=secret-token");
        span.SetTag("url.path", "/v3/directline/conversations/c1/stream");
        span.SetTag("http.route", "/v3/directline/conversations/{conversationId}/stream");
        span.SetTag("http.request.header.authorization", "Bearer secret-token");
        span.SetTag("http.request.body", "password=hunter2");
        span.SetTag("db.query.parameter.key", "bindings/secret");
        span.SetTag("aria.auth_key", "k");
        span.SetTag("http.response.status_code", 101);

        new TelemetryScrubber().OnEnd(span);

        var tags = span.TagObjects.ToDictionary(tag => tag.Key, tag => tag.Value);
        Assert.Equal(new[] { "url.path", "http.route", "http.response.status_code" }, tags.Keys);
        Assert.Equal("/v3/directline/conversations/{conversationId}/stream", tags["url.path"]);
        Assert.DoesNotContain("secret", span.DisplayName, StringComparison.Ordinal);
    }

    [Fact]
    public void A_path_without_a_route_is_not_kept()
    {
        using var span = new Activity("GET");
        span.SetTag("url.path", "/signin/some-link-id");
        new TelemetryScrubber().OnEnd(span);
        Assert.Equal("(redacted)", span.GetTagItem("url.path"));
    }
}
