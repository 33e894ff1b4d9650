using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using BotRuntime.Logging;

namespace AriaBot.SignIn;

/// <summary>
/// The 6-digit code the page shows: made at random, kept only as a salted SHA-256 on the link record
/// (<see cref="SignInLinkRecord.CodeSalt"/>, <see cref="SignInLinkRecord.CodeHash"/>), compared in constant time.
/// </summary>
internal static class SignInCode
{
    /// <summary>A new code; shown once on the page, never stored or logged.</summary>
    public static string New() => RandomNumberGenerator.GetInt32(0, 1_000_000).ToString("D6", CultureInfo.InvariantCulture);

    /// <summary>Puts a fresh salt and the hash of <paramref name="code"/> on <paramref name="record"/>.</summary>
    public static void Store(SignInLinkRecord record, [SecretData] string code)
    {
        var salt = LinkState.Base64Url(RandomNumberGenerator.GetBytes(16));
        record.CodeSalt = salt;
        record.CodeHash = Hash(salt, code);
    }

    /// <summary>Whether <paramref name="code"/> is the record's code; false when the record holds none.</summary>
    public static bool Matches(SignInLinkRecord record, [SecretData] string code)
    {
        if (record.CodeSalt is null || record.CodeHash is null)
        {
            return false;
        }
        var given = Encoding.ASCII.GetBytes(Hash(record.CodeSalt, code));
        var expected = Encoding.ASCII.GetBytes(record.CodeHash);
        return CryptographicOperations.FixedTimeEquals(given, expected);
    }

    private static string Hash(string salt, string code) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(salt + ":" + code)));
}
