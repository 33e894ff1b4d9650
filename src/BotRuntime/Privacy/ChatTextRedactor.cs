using Microsoft.Extensions.Compliance.Redaction;

namespace BotRuntime.Privacy;

/// <summary>
/// Plugs <see cref="SensitiveText"/> into Microsoft.Extensions.Compliance.Redaction, so log properties classified
/// as chat text are scrubbed of card numbers and passwords by the logging pipeline rather than by each caller.
/// </summary>
public sealed class ChatTextRedactor(RedactionMarkers? markers = null) : Redactor
{
    private readonly RedactionMarkers _markers = markers ?? RedactionMarkers.Default;

    public override int GetRedactedLength(ReadOnlySpan<char> input) =>
        SensitiveText.Redact(input.ToString(), markers: _markers).Text.Length;

    public override int Redact(ReadOnlySpan<char> source, Span<char> destination)
    {
        var redacted = SensitiveText.Redact(source.ToString(), markers: _markers).Text;
        redacted.AsSpan().CopyTo(destination);
        return redacted.Length;
    }
}
