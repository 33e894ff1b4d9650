using System.Collections.Frozen;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using BotRuntime.Recognition;

namespace AriaBot.Account.Contacts;

/// <summary>Why a typed value is not taken; each has its own sentence, then the question is asked again.</summary>
public enum ContactProblem
{
    None,
    Email,
    Phone,
    /// <summary>A local number, but the contact's country is unknown to us, so it must be typed with its +country code.</summary>
    PhoneNeedsCountryCode,
    Country,
    PostalCode,
}

/// <summary>A typed value judged: the value as Aria will get it (normalised), or why it is refused.</summary>
public sealed record ContactInput(string? Value, ContactProblem Problem)
{
    public bool Accepted => Problem == ContactProblem.None;
}

/// <summary>
/// Validates and normalises what the customer types, before any Aria call: e-mail; phone to E.164 (a local number takes
/// the contact's country); country to ISO 3166 alpha-2 (a code or a country's name in English or its own language);
/// postal code by the country's pattern where we know it, else a plain shape.
/// </summary>
public static partial class ContactValidation
{
    /// <summary>Calling codes by country. Countries whose trunk "0" is part of the number (Italy) keep it.</summary>
    private static readonly FrozenDictionary<string, string> CallingCodes = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["US"] = "1", ["CA"] = "1", ["PR"] = "1", ["GB"] = "44", ["IE"] = "353", ["ES"] = "34", ["FR"] = "33", ["DE"] = "49",
        ["IT"] = "39", ["PT"] = "351", ["NL"] = "31", ["BE"] = "32", ["CH"] = "41", ["AT"] = "43", ["MX"] = "52", ["AR"] = "54",
        ["CO"] = "57", ["CL"] = "56", ["PE"] = "51", ["BR"] = "55", ["AU"] = "61", ["NZ"] = "64", ["IN"] = "91", ["JP"] = "81",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, Regex> PostalPatterns = new Dictionary<string, Regex>(StringComparer.Ordinal)
    {
        ["US"] = UsZip(), ["ES"] = FiveDigits(), ["FR"] = FiveDigits(), ["DE"] = FiveDigits(), ["IT"] = FiveDigits(), ["MX"] = FiveDigits(),
        ["CA"] = CanadaPostal(), ["GB"] = BritishPostcode(), ["PT"] = PortugalPostal(), ["NL"] = DutchPostal(),
        ["AU"] = FourDigits(), ["AT"] = FourDigits(), ["BE"] = FourDigits(), ["CH"] = FourDigits(),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Country names (English and native, lower case) → ISO-2, from the cultures the runtime knows.</summary>
    private static readonly Lazy<FrozenDictionary<string, string>> CountryNames = new(() =>
    {
        var names = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var culture in CultureInfo.GetCultures(CultureTypes.SpecificCultures))
        {
            RegionInfo region;
            try
            {
                region = new RegionInfo(culture.Name);
            }
            catch (ArgumentException)
            {
                continue;
            }
            if (region.TwoLetterISORegionName.Length == 2 && region.TwoLetterISORegionName.All(char.IsAsciiLetterUpper))
            {
                names.TryAdd(Plain(region.EnglishName), region.TwoLetterISORegionName);
                names.TryAdd(Plain(region.NativeName), region.TwoLetterISORegionName);
            }
        }
        return names.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
    });

    public static ContactInput Judge(ContactField field, string? text, string? country) => field switch
    {
        ContactField.Email => Email(text),
        ContactField.Phone => Phone(text, country),
        ContactField.Country => Country(text),
        _ => PostalCode(text, country),
    };

    public static ContactInput Email(string? text)
    {
        var value = (text ?? string.Empty).Trim();
        return value.Length <= 100 && EmailShape().IsMatch(value) ? new(value, ContactProblem.None) : new(null, ContactProblem.Email);
    }

    /// <summary>E.164: "+" and 8–15 digits. "00…" is read as "+…"; a local number gets the country's code.</summary>
    public static ContactInput Phone(string? text, string? country)
    {
        var typed = (text ?? string.Empty).Trim();
        if (typed.Length == 0 || typed.Any(ch => !(char.IsAsciiDigit(ch) || ch is '+' or ' ' or '-' or '.' or '(' or ')')) || typed.LastIndexOf('+') > 0)
        {
            return new(null, ContactProblem.Phone);
        }
        var digits = new string([.. typed.Where(char.IsAsciiDigit)]);
        string international;
        if (typed.StartsWith('+'))
        {
            international = digits;
        }
        else if (digits.StartsWith("00", StringComparison.Ordinal))
        {
            international = digits[2..];
        }
        else if (country is not null && CallingCodes.TryGetValue(country.ToUpperInvariant(), out var code))
        {
            var national = code == "1" && digits.Length == 11 && digits.StartsWith('1') ? digits[1..]
                : code is not ("1" or "39") && digits.StartsWith('0') ? digits[1..]
                : digits;
            if (code == "1" && national.Length != 10)
            {
                return new(null, ContactProblem.Phone);
            }
            international = code + national;
        }
        else
        {
            return new(null, ContactProblem.PhoneNeedsCountryCode);
        }
        return international.Length is >= 8 and <= 15 && international[0] != '0' ? new("+" + international, ContactProblem.None) : new(null, ContactProblem.Phone);
    }

    public static ContactInput Country(string? text)
    {
        var typed = Plain(text ?? string.Empty);
        if (typed.Length == 2 && typed.All(char.IsAsciiLetter))
        {
            var code = typed.ToUpperInvariant();
            return CountryNames.Value.Values.Contains(code) ? new(code, ContactProblem.None) : new(null, ContactProblem.Country);
        }
        return CountryNames.Value.TryGetValue(typed, out var named) ? new(named, ContactProblem.None) : new(null, ContactProblem.Country);
    }

    public static ContactInput PostalCode(string? text, string? country)
    {
        var value = (text ?? string.Empty).Trim().ToUpperInvariant();
        var pattern = country is not null && PostalPatterns.TryGetValue(country.ToUpperInvariant(), out var known) ? known : AnyPostal();
        return pattern.IsMatch(value) ? new(value, ContactProblem.None) : new(null, ContactProblem.PostalCode);
    }

    /// <summary>Lower case without accents, so "españa", "España" and "Espana" are one name.</summary>
    private static string Plain(string text)
    {
        var decomposed = TextFolding.NormalizeFormD(text.Trim().ToLowerInvariant());
        return new string([.. decomposed.Where(ch => CharUnicodeInfo.GetUnicodeCategory(ch) != UnicodeCategory.NonSpacingMark)]);
    }

    [GeneratedRegex(@"^[^@\s<>""(),;:\\]+@[^@\s<>""(),;:\\]+\.[A-Za-z]{2,}$", RegexOptions.CultureInvariant)]
    private static partial Regex EmailShape();

    [GeneratedRegex(@"^\d{5}(-\d{4})?$", RegexOptions.CultureInvariant)]
    private static partial Regex UsZip();

    [GeneratedRegex(@"^\d{5}$", RegexOptions.CultureInvariant)]
    private static partial Regex FiveDigits();

    [GeneratedRegex(@"^\d{4}$", RegexOptions.CultureInvariant)]
    private static partial Regex FourDigits();

    [GeneratedRegex(@"^[A-Z]\d[A-Z] ?\d[A-Z]\d$", RegexOptions.CultureInvariant)]
    private static partial Regex CanadaPostal();

    [GeneratedRegex(@"^[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}$", RegexOptions.CultureInvariant)]
    private static partial Regex BritishPostcode();

    [GeneratedRegex(@"^\d{4}-\d{3}$", RegexOptions.CultureInvariant)]
    private static partial Regex PortugalPostal();

    [GeneratedRegex(@"^\d{4} ?[A-Z]{2}$", RegexOptions.CultureInvariant)]
    private static partial Regex DutchPostal();

    [GeneratedRegex(@"^[A-Z0-9][A-Z0-9 \-]{1,9}$", RegexOptions.CultureInvariant)]
    private static partial Regex AnyPostal();
}
