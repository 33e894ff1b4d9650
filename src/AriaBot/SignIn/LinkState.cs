using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;

namespace AriaBot.SignIn;

/// <summary>
/// The secret a secure page's link carries (sign-in, password reset, e-mail change, payment method, statement): 32
/// random bytes in base64url, 43 characters. The store keys its record by the hash only, so what the store holds
/// opens no page; anything not of that shape is refused before the store is asked.
/// </summary>
internal static class LinkState
{
    private const int Bytes = 32;
    private const int Length = 43;

    public static string New() => Base64Url(RandomNumberGenerator.GetBytes(Bytes));

    public static bool IsWellFormed([NotNullWhen(true)] string? state) =>
        state is { Length: Length } && state.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    /// <summary>Lower-case hex SHA-256 of the state: the part of a link record's storage key that names the link.</summary>
    public static string Hash(string state) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(state)));

    public static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
