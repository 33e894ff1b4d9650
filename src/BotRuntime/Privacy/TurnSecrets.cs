using BotRuntime.Builder;

namespace BotRuntime.Privacy;

/// <summary>
/// Values that must not leave this turn in clear: a one-time code the user just typed, a session id a step
/// handled. Whatever records the turn (transcripts, the agent's view, logs of user text) redacts them, on top of
/// what <see cref="SensitiveText"/> finds by itself.
/// </summary>
public static class TurnSecrets
{
    private const string Key = "BotRuntime.TurnSecrets";

    /// <summary>Marks <paramref name="value"/> as secret for the rest of this turn.</summary>
    public static void Mark(ITurnContext turnContext, string value)
    {
        ArgumentNullException.ThrowIfNull(turnContext);
        if (string.IsNullOrWhiteSpace(value))
        {
            return;
        }
        var secrets = turnContext.TurnState.Get<HashSet<string>>(Key);
        if (secrets is null)
        {
            secrets = new HashSet<string>(StringComparer.Ordinal);
            turnContext.TurnState.Set(Key, secrets);
        }
        secrets.Add(value.Trim());
    }

    /// <summary>Marks the whole text of the incoming activity as secret (for example a code typed on its own).</summary>
    public static void MarkIncomingText(ITurnContext turnContext)
    {
        ArgumentNullException.ThrowIfNull(turnContext);
        if (turnContext.Activity.Text is { } text)
        {
            Mark(turnContext, text);
        }
    }

    public static IReadOnlyCollection<string> Of(ITurnContext turnContext)
    {
        ArgumentNullException.ThrowIfNull(turnContext);
        return turnContext.TurnState.Get<HashSet<string>>(Key) ?? [];
    }

    /// <summary>The text with marked secrets and anything <see cref="SensitiveText"/> detects replaced by markers.</summary>
    public static string Redact(ITurnContext turnContext, string? text) =>
        string.IsNullOrEmpty(text) ? text ?? string.Empty : SensitiveText.Redact(text, Of(turnContext)).Text;
}
