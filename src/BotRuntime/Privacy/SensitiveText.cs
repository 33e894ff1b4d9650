namespace BotRuntime.Privacy;

/// <summary>
/// Interim scrubber until the full detector lands: erases the whole text, which is safe but unhelpful.
/// Replaced by the Luhn and password-cue detector.
/// </summary>
public static class SensitiveText
{
    public const string Removed = "[text removed]";

    public static string Redact(string text) => string.IsNullOrEmpty(text) ? text : Removed;
}
