using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Microsoft.Extensions.DependencyInjection;

namespace AriaBot.ScaleOut;

/// <summary>
/// Encrypts each Data Protection key's XML before it is stored (envelope encryption): a fresh random AES-256 data key
/// encrypts the XML with AES-GCM, and Key Vault wraps the data key with an RSA key that never leaves the vault
/// (<see cref="KeyVaultKeyClient"/>). What is stored holds the wrapped data key, the key version that wrapped it, the
/// nonce, the tag and the ciphertext — no key in the clear. Reading a key back needs the vault and the identity's
/// permission to unwrap (<see cref="KeyVaultXmlDecryptor"/>).
/// </summary>
/// <remarks>Data Protection calls encryptors synchronously, rarely (once per new key, every 90 days by default).</remarks>
public sealed class KeyVaultXmlEncryptor(KeyVaultKeyClient vault) : IXmlEncryptor
{
    /// <summary>The stored element's name. Part of the stored shape: never rename.</summary>
    internal const string EnvelopeName = "keyVaultEnvelope";

    private const int NonceSize = 12;
    private const int TagSize = 16;

    public EncryptedXmlInfo Encrypt(XElement plaintextElement)
    {
        ArgumentNullException.ThrowIfNull(plaintextElement);
        var dataKey = RandomNumberGenerator.GetBytes(32);
        var plaintext = Encoding.UTF8.GetBytes(plaintextElement.ToString(SaveOptions.DisableFormatting));
        try
        {
            var nonce = RandomNumberGenerator.GetBytes(NonceSize);
            var ciphertext = new byte[plaintext.Length];
            var tag = new byte[TagSize];
            using (var aes = new AesGcm(dataKey, TagSize))
            {
                aes.Encrypt(nonce, plaintext, ciphertext, tag);
            }
            var (kid, wrapped) = vault.WrapAsync(dataKey, CancellationToken.None).GetAwaiter().GetResult();
            var envelope = new XElement(EnvelopeName,
                new XAttribute("version", "1"),
                new XComment(" This key is encrypted with an AES-256 data key wrapped by a Key Vault key (RSA-OAEP-256). "),
                new XElement("kid", kid),
                new XElement("wrappedKey", new XAttribute("alg", KeyVaultKeyClient.Algorithm), Convert.ToBase64String(wrapped)),
                new XElement("nonce", Convert.ToBase64String(nonce)),
                new XElement("tag", Convert.ToBase64String(tag)),
                new XElement("ciphertext", Convert.ToBase64String(ciphertext)));
            return new EncryptedXmlInfo(envelope, typeof(KeyVaultXmlDecryptor));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(dataKey);
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }
}

/// <summary>
/// Reads what <see cref="KeyVaultXmlEncryptor"/> stored: Key Vault unwraps the data key, which decrypts (and, through
/// the GCM tag, authenticates) the key's XML. Made by Data Protection from the type named in the stored XML, through
/// the constructor taking the service provider.
/// </summary>
public sealed class KeyVaultXmlDecryptor(IServiceProvider services) : IXmlDecryptor
{
    public XElement Decrypt(XElement encryptedElement)
    {
        ArgumentNullException.ThrowIfNull(encryptedElement);
        if (encryptedElement.Name != KeyVaultXmlEncryptor.EnvelopeName || (string?)encryptedElement.Attribute("version") != "1")
        {
            throw new CryptographicException("The stored Data Protection key is not a Key Vault envelope this version can read.");
        }
        string Part(string name) => (string?)encryptedElement.Element(name) ?? throw new CryptographicException($"The stored Key Vault envelope has no {name}.");
        var vault = services.GetRequiredService<KeyVaultKeyClient>();
        var dataKey = vault.UnwrapAsync(Part("kid"), Convert.FromBase64String(Part("wrappedKey")), CancellationToken.None).GetAwaiter().GetResult();
        var ciphertext = Convert.FromBase64String(Part("ciphertext"));
        var plaintext = new byte[ciphertext.Length];
        try
        {
            using (var aes = new AesGcm(dataKey, 16))
            {
                aes.Decrypt(Convert.FromBase64String(Part("nonce")), ciphertext, Convert.FromBase64String(Part("tag")), plaintext);
            }
            return XElement.Parse(Encoding.UTF8.GetString(plaintext));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(dataKey);
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }
}
