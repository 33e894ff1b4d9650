using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Aria.Client.Serialization;
using Microsoft.Extensions.Options;

namespace Aria.Client.Http;

/// <summary>
/// Finishes each Aria request before it meets the resilience pipeline: adds <c>client_no</c>,
/// <c>auth_key</c> and <c>output_format</c> to the body Refit wrote (Aria has no header
/// authentication), classifies the call for the retry rule, and encodes it for the configured
/// transport — JSON to <c>/v1/core</c> or a form post to the dispatcher. Runs outermost so that a
/// retry re-sends exactly these bytes.
/// </summary>
public sealed class AriaRequestHandler(IOptionsMonitor<AriaOptions> options) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Content is null || request.RequestUri is null)
        {
            throw new InvalidOperationException("An Aria call is a POST with a body.");
        }

        var settings = options.CurrentValue;
        var refitBody = JsonNode.Parse(await request.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false)) as JsonObject
            ?? throw new InvalidOperationException("An Aria request body is a JSON object.");

        var wire = new JsonObject
        {
            ["rest_call"] = refitBody["rest_call"]?.DeepClone(),
            ["output_format"] = "json",
            ["client_no"] = settings.ClientNo,
            ["auth_key"] = settings.AuthKey,
        };
        foreach (var (name, value) in refitBody)
        {
            if (!wire.ContainsKey(name))
            {
                wire[name] = value?.DeepClone();
            }
        }

        request.Options.Set(AriaCallInfo.Key, AriaCallInfo.Classify(wire));

        var original = request.Content;
        if (settings.Transport == AriaTransport.Form)
        {
            request.Content = new FormUrlEncodedContent(AriaFormEncoder.ToPairs(wire));
            request.RequestUri = WithPath(request.RequestUri, AriaPaths.Dispatcher);
        }
        else
        {
            var content = new ByteArrayContent(Encoding.UTF8.GetBytes(wire.ToJsonString()));
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
            request.Content = content;
        }

        original.Dispose();
        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }

    private static Uri WithPath(Uri uri, string endpoint)
    {
        var path = uri.AbsolutePath;
        if (path.EndsWith(AriaPaths.Core, StringComparison.Ordinal))
        {
            path = path[..^AriaPaths.Core.Length];
        }

        return new UriBuilder(uri) { Path = path.TrimEnd('/') + endpoint }.Uri;
    }
}
