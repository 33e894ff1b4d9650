using System.Security.Cryptography;
using System.Text;
using BotRuntime.Logging;

namespace AriaBot.SignIn.VerificationCodes;

/// <summary>The 8-digit code e-mailed by a flow: made at random, stored only as a salted SHA-256, compared in constant time.</summary>
internal static class VerificationCode
{
    public static string New() => RandomNumberGenerator.GetInt32(0, 100_000_000).ToString("D8", System.Globalization.CultureInfo.InvariantCulture);

    public static (string Salt, string Hash) Protect([SecretData] string code)
    {
        var salt = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        return (salt, Hash(salt, code));
    }

    /// <summary>Spaces and dashes typed between the digits are ignored; anything else makes the code wrong.</summary>
    public static bool Matches([SecretData] string salt, [SecretData] string hash, [SecretData] string code)
    {
        var digits = new string([.. code.Where(char.IsAsciiDigit)]);
        if (digits.Length != 8 || code.Any(c => !char.IsAsciiDigit(c) && c is not (' ' or '-')))
        {
            return false;
        }
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Hash(salt, digits)), Encoding.ASCII.GetBytes(hash));
    }

    private static string Hash(string salt, string code) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(salt + ":" + code)));
}

/// <summary>
/// One e-mailed code as its check needs it, whichever stored record holds it: the password reset keeps it on a record
/// of its own (<c>reset/codes/…</c>), the e-mail change on its link record. Each record implements this explicitly, so
/// the stored JSON is only the record's own properties, exactly as before the check was shared.
/// </summary>
internal interface IVerificationCodeState
{
    /// <summary>Null while no code was sent, or once a right code has dropped it.</summary>
    string? Salt { get; }

    string? Hash { get; }

    DateTimeOffset? ExpiresAt { get; }

    int WrongAttempts { get; set; }

    /// <summary>Too many wrong codes: it never works again.</summary>
    bool IsLocked { get; }

    /// <summary>A right code was entered already (it proves nothing twice).</summary>
    bool IsSpent { get; }

    void Lock();

    /// <summary>Marks the right code entered; a record may also drop the hash here, having no more use for it.</summary>
    void Spend();
}
