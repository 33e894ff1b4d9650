using System.Buffers;

namespace BotRuntime.Privacy;

/// <summary>
/// Necessary conditions for each of <see cref="SensitiveText"/>'s scans, cheap enough to run on every text: when one
/// fails, that scan cannot find anything and is skipped (issue 22: the bot's own replies, redacted for the transcript,
/// almost never hold a card, a code or a password cue). Each condition must be true whenever the scan could match —
/// never the other way round; <c>SensitiveTextShortcutsTests</c> compares with the full scans on a corpus.
/// </summary>
internal static class SensitiveTextShortcuts
{
    /// <summary>
    /// A literal every alternative of the password cue contains ("password", "pwd", "pw", "pin", "passcode", "pass",
    /// "contrasena", "clave", "codigo pin"…), sought ignoring case: the cue is matched against folded text, lower case.
    /// </summary>
    private static readonly SearchValues<string> CueLiterals =
        SearchValues.Create(["pw", "pass", "pin", "contrasen", "clave"], StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// A card is 13–19 digits that pass <see cref="SensitiveText.IsLuhnValid"/>, which takes ASCII digits only: fewer
    /// than 13 of them in the whole text and there is none.
    /// </summary>
    public static bool MayHoldCard(string text)
    {
        var digits = 0;
        var rest = text.AsSpan();
        for (var at = rest.IndexOfAnyInRange('0', '9'); at >= 0; at = rest.IndexOfAnyInRange('0', '9'))
        {
            if (++digits >= 13)
            {
                return true;
            }
            rest = rest[(at + 1)..];
        }
        return false;
    }

    /// <summary>
    /// A security code is <c>\d{3,4}</c> (any Unicode decimal digit) in the folded text; folding keeps a character a
    /// digit or a non-digit (<c>SensitiveTextShortcutsTests</c> checks every character), so three digits in a row in the
    /// text as typed are needed.
    /// </summary>
    public static bool MayHoldSecurityCode(string text)
    {
        var run = 0;
        foreach (var ch in text)
        {
            run = char.IsDigit(ch) ? run + 1 : 0;
            if (run == 3)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>
    /// The password cue is matched against folded text: pass the folded text, or the text itself when it is ASCII (it
    /// then folds to its own lower case, where a literal is found exactly when it is found in the text ignoring case).
    /// </summary>
    public static bool MayHoldPasswordCue(string foldedOrAscii) => foldedOrAscii.AsSpan().ContainsAny(CueLiterals);
}
