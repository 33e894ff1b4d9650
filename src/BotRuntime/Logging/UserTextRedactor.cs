using BotRuntime.Privacy;
using Microsoft.Extensions.Compliance.Redaction;

namespace BotRuntime.Logging;

/// <summary>Keeps what a person typed readable in logs, minus anything that looks like a card number or a password.</summary>
public sealed class UserTextRedactor : Redactor
{
    public override int GetRedactedLength(ReadOnlySpan<char> input) => SensitiveText.Redact(input.ToString()).Text.Length;

    public override int Redact(ReadOnlySpan<char> source, Span<char> destination)
    {
        var redacted = SensitiveText.Redact(source.ToString()).Text;
        redacted.AsSpan().CopyTo(destination);
        return redacted.Length;
    }
}
