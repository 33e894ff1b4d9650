using System.Text.RegularExpressions;
using BotRuntime.Privacy;

namespace AriaBot.Handoff;

/// <summary>
/// What an agent may read (invariant 4, docs/invariants.md): card numbers, security codes, passwords and codes as the
/// chat redaction cuts them, plus what only the agent's view must also lose — links (a sign-in link carries a
/// one-time state) and long opaque tokens (session ids, binding ids).
/// </summary>
public static partial class HandoffRedaction
{
    public const string LinkRemoved = "[link removed]";
    public const string TokenRemoved = "[removed]";

    public static string ForAgent(string? text)
    {
        var redacted = SensitiveText.Redact(text).Text;
        redacted = Link().Replace(redacted, LinkRemoved);
        return OpaqueToken().Replace(redacted, TokenRemoved);
    }

    /// <summary>An agent's reply to the customer: the same secrets are cut (an agent must not paste a card number either); links stay.</summary>
    public static string ForCustomer(string? text) => SensitiveText.Redact(text).Text;

    [GeneratedRegex(@"\b(?:https?|wss?)://\S+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Link();

    // 24+ characters of letters, digits, '-', '_' with at least one digit: ids and tokens, not words.
    [GeneratedRegex(@"(?<![\w-])(?=[\w-]*\d)[A-Za-z0-9_-]{24,}(?![\w-])", RegexOptions.CultureInvariant)]
    private static partial Regex OpaqueToken();
}
