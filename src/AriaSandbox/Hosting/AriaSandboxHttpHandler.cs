using System.Net;
using System.Net.Http.Headers;
using Aria.Sandbox.Protocol;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Aria.Sandbox.Hosting;

/// <summary>
/// Reaches the sandbox without a TCP port (so it also works under WebApplicationFactory): takes
/// the request exactly as the client serialized it for the wire — form body or JSON bytes — runs
/// the sandbox's own request handling on a <see cref="DefaultHttpContext"/>, and returns its reply
/// bytes. "Commit but lose the response" surfaces as the connection error a real network gives.
/// </summary>
public sealed class AriaSandboxHttpHandler : HttpMessageHandler
{
    private readonly IServiceProvider _services;
    private readonly SandboxRequestProcessor _processor;

    public AriaSandboxHttpHandler(IServiceProvider services, SandboxRequestProcessor processor)
    {
        _services = services;
        _processor = processor;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var path = request.RequestUri?.AbsolutePath ?? string.Empty;
        if (!path.EndsWith(SandboxPaths.Dispatcher, StringComparison.Ordinal) && !path.EndsWith(SandboxPaths.Core, StringComparison.Ordinal))
        {
            return new HttpResponseMessage(HttpStatusCode.NotFound) { RequestMessage = request };
        }

        var body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        var lifetime = new LifetimeFeature(cancellationToken);
        var context = new DefaultHttpContext { RequestServices = _services };
        context.Features.Set<IHttpRequestLifetimeFeature>(lifetime);
        context.Request.Method = request.Method.Method;
        context.Request.Scheme = request.RequestUri!.Scheme;
        context.Request.Host = new HostString(request.RequestUri.Authority);
        context.Request.Path = path;
        context.Request.ContentType = request.Content?.Headers.ContentType?.ToString();
        context.Request.ContentLength = body.Length;
        context.Request.Body = new MemoryStream(body);
        context.Connection.RemoteIpAddress = IPAddress.Loopback;
        using var responseBody = new MemoryStream();
        context.Response.Body = responseBody;

        await _processor.HandleAsync(context).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        if (lifetime.Aborted)
        {
            throw new HttpRequestException(HttpRequestError.ResponseEnded, "The connection closed before the reply arrived (lost by the Aria sandbox's fault injection).");
        }

        var response = new HttpResponseMessage((HttpStatusCode)context.Response.StatusCode)
        {
            RequestMessage = request,
            Content = new ByteArrayContent(responseBody.ToArray()),
        };
        if (context.Response.ContentType is { } contentType)
        {
            response.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        return response;
    }

    private sealed class LifetimeFeature(CancellationToken aborted) : IHttpRequestLifetimeFeature
    {
        public CancellationToken RequestAborted { get; set; } = aborted;

        public bool Aborted { get; private set; }

        public void Abort() => Aborted = true;
    }
}

/// <summary>The two Aria endpoints, as the sandbox serves them under its prefix.</summary>
public static class SandboxPaths
{
    public const string Dispatcher = "/api/ws/api_ws_class_dispatcher.php";
    public const string Core = "/v1/core";
}
