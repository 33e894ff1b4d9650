using System.Buffers;
using System.Globalization;
using MsCulture = Microsoft.Recognizers.Text.Culture;

namespace BotRuntime.Recognition;

/// <summary>
/// One of the cultures the bot speaks. Every <c>activity.locale</c> value maps to one of these, so a
/// recogniser, a word lookup and a classifier always agree on the language of a turn.
/// </summary>
public sealed class BotCulture : IEquatable<BotCulture>
{
    public static readonly BotCulture EnglishUS = new("en-US", "en", MsCulture.English);
    public static readonly BotCulture SpanishSpain = new("es-ES", "es", MsCulture.Spanish);

    /// <summary>The default for anything that is not recognisably Spanish.</summary>
    public static BotCulture Default => EnglishUS;

    public static IReadOnlyList<BotCulture> Supported { get; } = [EnglishUS, SpanishSpain];

    private BotCulture(string name, string language, string recognizersCulture)
    {
        Name = name;
        Language = language;
        RecognizersCulture = recognizersCulture;
        CultureInfo = CultureInfo.GetCultureInfo(name);
    }

    /// <summary>BCP-47 name, e.g. <c>en-US</c>; also the locale part of the <c>dialogs/</c> file names.</summary>
    public string Name { get; }

    /// <summary>Two-letter language, e.g. <c>es</c>.</summary>
    public string Language { get; }

    public CultureInfo CultureInfo { get; }

    /// <summary>The culture code Microsoft.Recognizers.Text expects (lower case, e.g. <c>es-es</c>).</summary>
    internal string RecognizersCulture { get; }

    public bool IsSpanish => ReferenceEquals(this, SpanishSpain);

    /// <summary>
    /// Maps whatever a channel sends as a locale (<c>en</c>, <c>en-us</c>, <c>es_MX</c>, <c>ES</c>, null, garbage)
    /// to a supported culture. Only the language part decides: there is one Spanish and one English voice, so
    /// es-MX users get es-ES words rather than English ones. Never throws.
    /// </summary>
    public static BotCulture Resolve(string? locale)
    {
        if (string.IsNullOrWhiteSpace(locale))
        {
            return Default;
        }

        // Called for every word looked up and every recognition of a turn (issue 22): spans, no copies, no new array.
        var trimmed = locale.AsSpan().Trim();
        var cut = trimmed.IndexOfAny(LanguageEnd);
        var language = cut < 0 ? trimmed : trimmed[..cut];
        foreach (var spanish in SpanishNames)
        {
            if (language.Equals(spanish, StringComparison.OrdinalIgnoreCase))
            {
                return SpanishSpain;
            }
        }
        return Default;
    }

    private static readonly SearchValues<char> LanguageEnd = SearchValues.Create("-_.@");

    private static readonly string[] SpanishNames = ["es", "spa", "spanish", "español", "espanol"];

    /// <summary>Finds the culture with exactly this name (case-insensitive), for file names and configuration.</summary>
    public static bool TryGetExact(string name, out BotCulture culture)
    {
        foreach (var candidate in Supported)
        {
            if (string.Equals(candidate.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                culture = candidate;
                return true;
            }
        }

        culture = Default;
        return false;
    }

    public bool Equals(BotCulture? other) => ReferenceEquals(this, other);

    public override bool Equals(object? obj) => ReferenceEquals(this, obj);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Name);

    public override string ToString() => Name;
}
