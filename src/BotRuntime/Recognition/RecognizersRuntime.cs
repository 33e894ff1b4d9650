using System.Globalization;
using Microsoft.Recognizers.Text;

namespace BotRuntime.Recognition;

/// <summary>
/// The one place that runs Microsoft.Recognizers.Text, always through the shared per-culture models of
/// <see cref="RecognizerModels"/> (the library's static helpers rebuild a recognizer on every call).
/// Recognizers.Text is a large regex library: an unexpected input must never take a turn down, so every
/// call is guarded and failure reads as "nothing found".
/// </summary>
internal static class RecognizersRuntime
{
    /// <summary>Longest input handed to Recognizers.Text; chat turns are short and the regexes are not linear-time.</summary>
    public const int MaxInputLength = 1000;

    public static IReadOnlyList<ModelResult> Run(string text, Func<string, List<ModelResult>> recognize)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return [];
        }

        var input = text.Length > MaxInputLength ? text[..MaxInputLength] : text;
        try
        {
            return recognize(input);
        }
#pragma warning disable CA1031 // A recogniser bug on odd user text must read as "no match", not crash the turn.
        catch (Exception)
#pragma warning restore CA1031
        {
            return [];
        }
    }

    public static string? GetString(ModelResult result, string key) =>
        result.Resolution is not null && result.Resolution.TryGetValue(key, out var value) ? value as string : null;

    /// <summary>Recognizers.Text writes values in the culture it was asked for ("3,5" in Spanish, "3.5" in English).</summary>
    public static bool TryParseValue(string? value, BotCulture culture, out decimal number)
    {
        number = 0;
        if (string.IsNullOrWhiteSpace(value))
        {
            return false;
        }

        return decimal.TryParse(value, NumberStyles.Float, culture.CultureInfo, out number)
            || decimal.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out number);
    }

    /// <summary>Original text of a match: Recognizers.Text lower-cases <see cref="ModelResult.Text"/>, positions are inclusive.</summary>
    public static (string Text, int Start, int Length) Span(string original, ModelResult result)
    {
        var start = Math.Clamp(result.Start, 0, original.Length);
        var length = Math.Clamp(result.End - result.Start + 1, 0, original.Length - start);
        return (original.Substring(start, length), start, length);
    }
}
