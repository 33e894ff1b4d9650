using System.Collections.Concurrent;
using System.Text;
using System.Text.Json.Nodes;

namespace AriaClient.Tests.Infrastructure;

/// <summary>One request and reply exactly as they crossed the wire.</summary>
public sealed record WireExchange(string Path, string? ContentType, string RequestBody, int Status, string ResponseBody)
{
    public JsonObject? ResponseJson => Status == 200 ? JsonNode.Parse(ResponseBody) as JsonObject : null;
}

/// <summary>Keeps every exchange the client's innermost handler sees.</summary>
public sealed class WireRecorder
{
    public ConcurrentQueue<WireExchange> Exchanges { get; } = new();

    public DelegatingHandler CreateHandler() => new Recording(this);

    private sealed class Recording(WireRecorder recorder) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var body = request.Content is null ? string.Empty : await request.Content.ReadAsStringAsync(cancellationToken);
            var response = await base.SendAsync(request, cancellationToken);
            await response.Content.LoadIntoBufferAsync(cancellationToken);
            var reply = Encoding.UTF8.GetString(await response.Content.ReadAsByteArrayAsync(cancellationToken));
            recorder.Exchanges.Enqueue(new WireExchange(request.RequestUri!.AbsolutePath, request.Content?.Headers.ContentType?.MediaType, body, (int)response.StatusCode, reply));
            return response;
        }
    }
}
