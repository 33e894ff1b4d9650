using System.Text;
using System.Text.RegularExpressions;
using BotRuntime.Recognition;

namespace BotRuntime.Privacy;

/// <summary>
/// Finds and removes what must never be echoed, logged or stored from chat text (invariant 4, docs/invariants.md): payment card
/// numbers (Luhn-valid runs of 13–19 digits, optionally grouped with spaces or dashes), card security codes and
/// passwords typed after an explicit cue ("my password is …", "pwd: …", "mi contraseña es …"), plus any value
/// the caller already knows to be secret (a one-time code, a session id).
/// <para>
/// Deliberately not flagged: phone numbers and order or invoice numbers (too short, not Luhn-valid, or glued to
/// letters as in "ORD-…"), and a lone word that merely looks like a password — with no cue that guess is wrong too
/// often to be useful. Only the sensitive part is replaced, so the rest of the sentence still reads.
/// </para>
/// </summary>
public static class SensitiveText
{
    private static readonly TimeSpan RegexBudget = TimeSpan.FromMilliseconds(250);

    // Maximal runs of digits joined by single spaces or dashes; candidates for card numbers.
    private static readonly Regex DigitRun = new(@"\d+(?:[ \-]\d+)*", RegexOptions.CultureInvariant, RegexBudget);

    private static readonly Regex SecurityCode = new(
        @"\b(?:cvv2?|cvc2?|cid|csc|security\s+code|card\s+code|codigo\s+de\s+seguridad|codigo\s+cvv|codigo\s+cvc)\b\s*(?:is|es|:|=|-)?\s*(?<secret>\d{3,4})\b",
        RegexOptions.CultureInvariant,
        RegexBudget);

    // Matched against folded text (lower case, no accents), whose positions equal the original's.
    private static readonly Regex PasswordCue = new(
        """
        \b(?:
            (?:password|passwd|passw|pass\s+word|pwd|pw|passcode|pass\s+code|pin|pin\s+code|pin\s+number|contrasena|contrasenia|clave|codigo\s+pin|pass(?=\s*[:=]))
            (?:\s+(?:nueva|actual|antigua|vieja))?
            (?:\s+(?:for|to|on|of|de|para|del|mi|my|the|la|el|account|cuenta|aria|login|portal|web|site|sitio|app)){0,4}
            (?:\s+(?:is|was|is\s+now|will\s+be|would\s+be|should\s+be|es|era|sera|seria|es\s+ahora|ahora\s+es)\b\s*[:=]?|\s*[:=]|'s\b)
          |
            (?:set|change|update|reset|make)\s+(?:my\s+|the\s+)?(?:new\s+)?(?:password|pwd|pin)\s+(?:to|as|into)
          |
            (?:pon|cambia|cambiar|poner|establece|establecer|actualiza|actualizar)\s+(?:mi\s+|la\s+|el\s+)?(?:contrasena|clave|pin)(?:\s+nueva)?\s+(?:a|por|en|como)
        )
        \s*(?<secret>"[^"\r\n]{1,100}"|'[^'\r\n]{1,100}'|«[^»\r\n]{1,100}»|\S+)
        """,
        RegexOptions.CultureInvariant | RegexOptions.IgnorePatternWhitespace,
        RegexBudget);

    // Words that follow a cue without being a password: "my password is not working", "mi contraseña es incorrecta".
    private static readonly HashSet<string> NotASecret = new(StringComparer.Ordinal)
    {
        "not", "wrong", "incorrect", "invalid", "expired", "expiring", "blocked", "locked", "broken", "forgotten", "forgot", "lost", "missing",
        "working", "too", "a", "an", "the", "my", "it", "that", "this", "same", "correct", "right", "ok", "okay", "fine", "weak", "strong",
        "long", "short", "something", "what", "no", "reset", "changed", "new", "old", "case", "required", "needed", "gone", "bad", "fine",
        "incorrecta", "incorrecto", "erronea", "erroneo", "mala", "malo", "invalida", "invalido", "caducada", "caducado", "bloqueada",
        "bloqueado", "olvidada", "olvidado", "la", "el", "muy", "demasiado", "algo", "correcta", "correcto", "buena", "segura", "debil",
        "larga", "corta", "igual", "misma", "nueva", "que", "mi", "una", "un", "otra", "cual", "esta", "esa",
    };

    private static bool IsDefaultMarkerAt(string text, int index)
    {
        var markers = RedactionMarkers.Default;
        foreach (var marker in new[] { markers.CardNumber, markers.CardSecurityCode, markers.Password, markers.Other })
        {
            if (string.CompareOrdinal(text, index, marker, 0, marker.Length) == 0)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Finds the sensitive parts, leaving the text alone.</summary>
    public static IReadOnlyList<SensitiveFinding> Detect(string? text, IEnumerable<string>? markedSensitive = null) =>
        Detect(text, markedSensitive, shortcuts: true);

    /// <summary><paramref name="shortcuts"/> false runs every scan: the reference <see cref="SensitiveTextShortcuts"/> is tested against.</summary>
    internal static IReadOnlyList<SensitiveFinding> Detect(string? text, IEnumerable<string>? markedSensitive, bool shortcuts)
    {
        if (string.IsNullOrEmpty(text))
        {
            return [];
        }

        var findings = new List<SensitiveFinding>();
        try
        {
            // Most texts — the bot's own replies above all — cannot hold a card, a code or a password cue; each scan is
            // skipped when a cheap necessary condition fails (issue 22: this ran on every reply and every line stored).
            if (!shortcuts || SensitiveTextShortcuts.MayHoldCard(text))
            {
                FindCards(text, findings);
            }

            // ASCII text folds to its lower case, so the cue's literals can be sought in it as it is; other text is folded first.
            var folded = !shortcuts || !Ascii.IsValid(text) ? TextFolding.Fold(text) : null;
            var mayHoldCode = !shortcuts || SensitiveTextShortcuts.MayHoldSecurityCode(text);
            var mayHoldCue = !shortcuts || SensitiveTextShortcuts.MayHoldPasswordCue(folded ?? text);
            if (mayHoldCode || mayHoldCue)
            {
                folded ??= TextFolding.Fold(text);
            }
            if (mayHoldCode)
            {
                foreach (Match match in SecurityCode.Matches(folded!))
                {
                    var secret = match.Groups["secret"];
                    findings.Add(new SensitiveFinding(SensitiveKind.CardSecurityCode, secret.Index, secret.Length));
                }
            }

            if (mayHoldCue)
            {
                FindPasswords(text, folded!, findings);
            }
        }
        catch (RegexMatchTimeoutException)
        {
            // Pathological input: treat the whole text as sensitive rather than risk leaking part of it.
            return [new SensitiveFinding(SensitiveKind.MarkedSensitive, 0, text.Length)];
        }

        if (markedSensitive is not null)
        {
            foreach (var secret in markedSensitive)
            {
                if (string.IsNullOrEmpty(secret))
                {
                    continue;
                }

                for (var at = text.IndexOf(secret, StringComparison.Ordinal); at >= 0; at = text.IndexOf(secret, at + secret.Length, StringComparison.Ordinal))
                {
                    findings.Add(new SensitiveFinding(SensitiveKind.MarkedSensitive, at, secret.Length));
                }
            }
        }

        return findings.Count == 0 ? Array.Empty<SensitiveFinding>() : Merge(findings);
    }

    private static void FindPasswords(string text, string folded, List<SensitiveFinding> findings)
    {
        foreach (Match match in PasswordCue.Matches(folded))
        {
            var secret = match.Groups["secret"];
            var word = secret.Value.Trim('.', ',', '!', '?', ';', ':', '"', '\'', '«', '»', '(', ')');
            // Text redacted before ("pwd: [password removed]") stays as it is: redacting must be idempotent.
            if (word.Length == 0 || NotASecret.Contains(word) || IsDefaultMarkerAt(text, secret.Index))
            {
                continue;
            }

            findings.Add(new SensitiveFinding(SensitiveKind.Password, secret.Index, secret.Length));
        }
    }

    /// <summary>Replaces each sensitive part with its marker and reports what was found (never the secret itself).</summary>
    public static RedactionResult Redact(string? text, IEnumerable<string>? markedSensitive = null, RedactionMarkers? markers = null)
    {
        if (string.IsNullOrEmpty(text))
        {
            return new RedactionResult(text ?? string.Empty, []);
        }

        markers ??= RedactionMarkers.Default;
        var findings = Detect(text, markedSensitive);
        if (findings.Count == 0)
        {
            return new RedactionResult(text, findings);
        }

        var builder = new StringBuilder(text.Length);
        var position = 0;
        foreach (var finding in findings)
        {
            builder.Append(text, position, finding.Start - position);
            builder.Append(markers.For(finding.Kind));
            position = finding.Start + finding.Length;
        }

        builder.Append(text, position, text.Length - position);
        return new RedactionResult(builder.ToString(), findings);
    }

    /// <summary>True when <paramref name="digits"/> (digits only) passes the Luhn check.</summary>
    public static bool IsLuhnValid(ReadOnlySpan<char> digits)
    {
        if (digits.IsEmpty)
        {
            return false;
        }

        var sum = 0;
        var doubleIt = false;
        for (var i = digits.Length - 1; i >= 0; i--)
        {
            var d = digits[i] - '0';
            if (d is < 0 or > 9)
            {
                return false;
            }

            if (doubleIt)
            {
                d *= 2;
                if (d > 9)
                {
                    d -= 9;
                }
            }

            sum += d;
            doubleIt = !doubleIt;
        }

        return sum % 10 == 0;
    }

    private static void FindCards(string text, List<SensitiveFinding> findings)
    {
        foreach (Match run in DigitRun.Matches(text))
        {
            if (GluedToWord(text, run.Index, run.Index + run.Length))
            {
                continue;
            }

            var groups = new List<(int Start, int Length)>();
            foreach (Match group in Regex.Matches(run.Value, @"\d+", RegexOptions.CultureInvariant, RegexBudget))
            {
                groups.Add((run.Index + group.Index, group.Length));
            }

            // Usually the whole run is the card; a longer run ("4111 1111 1111 1111 1227" typed without words) is
            // searched for cards made of whole groups, longest first from each position. A window never holds
            // more than 19 digits, so a huge run of digits costs linear time.
            var first = 0;
            while (first < groups.Count)
            {
                var digits = new System.Text.StringBuilder();
                var bestEnd = -1;
                for (var last = first; last < groups.Count; last++)
                {
                    digits.Append(text, groups[last].Start, groups[last].Length);
                    if (digits.Length > 19)
                    {
                        break;
                    }

                    if (digits.Length >= 13 && IsLuhnValid(digits.ToString()))
                    {
                        bestEnd = last;
                    }
                }

                if (bestEnd < 0)
                {
                    first++;
                    continue;
                }

                var start = groups[first].Start;
                var end = groups[bestEnd].Start + groups[bestEnd].Length;
                findings.Add(new SensitiveFinding(SensitiveKind.CardNumber, start, end - start));
                first = bestEnd + 1;
            }
        }
    }

    // "ORD-4111111111111111", "INV4111111111111111": identifiers with letters attached are references, not cards.
    private static bool GluedToWord(string text, int start, int end)
    {
        static bool IsWordChar(char c) => char.IsLetterOrDigit(c) || c == '_';
        if (start > 0 && (IsWordChar(text[start - 1]) || (text[start - 1] is '-' or '/' or '#' && start > 1 && char.IsLetter(text[start - 2]))))
        {
            return true;
        }

        return end < text.Length && (IsWordChar(text[end]) || (text[end] is '-' or '/' && end + 1 < text.Length && char.IsLetter(text[end + 1])));
    }

    private static List<SensitiveFinding> Merge(List<SensitiveFinding> findings)
    {
        findings.Sort((a, b) => a.Start != b.Start ? a.Start.CompareTo(b.Start) : b.Length.CompareTo(a.Length));
        var merged = new List<SensitiveFinding>();
        foreach (var finding in findings)
        {
            if (merged.Count > 0 && finding.Start < merged[^1].Start + merged[^1].Length)
            {
                var previous = merged[^1];
                var end = Math.Max(previous.Start + previous.Length, finding.Start + finding.Length);
                merged[^1] = previous with { Length = end - previous.Start };
                continue;
            }

            merged.Add(finding);
        }

        return merged;
    }
}

public enum SensitiveKind
{
    CardNumber,
    CardSecurityCode,
    Password,

    /// <summary>A value the caller said was secret (one-time code, session id), or text too odd to scan safely.</summary>
    MarkedSensitive,
}

/// <summary>Where a sensitive part was; the secret itself is never kept.</summary>
public sealed record SensitiveFinding(SensitiveKind Kind, int Start, int Length);

public sealed record RedactionResult(string Text, IReadOnlyList<SensitiveFinding> Findings)
{
    public bool HasSensitiveData => Findings.Count > 0;

    public bool Contains(SensitiveKind kind) => Findings.Any(f => f.Kind == kind);

    /// <summary>True when the user should be told to use the secure page (card data or a password, not a caller-marked value).</summary>
    public bool ShouldWarnUser => Findings.Any(f => f.Kind is SensitiveKind.CardNumber or SensitiveKind.CardSecurityCode or SensitiveKind.Password);
}

/// <summary>Replacement texts; bracketed English by default, configurable for a deployment that prefers symbols.</summary>
public sealed record RedactionMarkers
{
    public static RedactionMarkers Default { get; } = new();

    public string CardNumber { get; init; } = "[card number removed]";

    public string CardSecurityCode { get; init; } = "[security code removed]";

    public string Password { get; init; } = "[password removed]";

    public string Other { get; init; } = "[removed]";

    public string For(SensitiveKind kind) => kind switch
    {
        SensitiveKind.CardNumber => CardNumber,
        SensitiveKind.CardSecurityCode => CardSecurityCode,
        SensitiveKind.Password => Password,
        _ => Other,
    };
}
