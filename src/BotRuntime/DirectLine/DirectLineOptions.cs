using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BotRuntime.DirectLine;

/// <summary>The bot's own Direct Line 3.0 endpoint under <c>/v3/directline</c> (configuration section <c>DirectLine</c>).</summary>
public sealed class DirectLineOptions : IValidatableObject
{
    public const string SectionName = "DirectLine";

    /// <summary>
    /// Direct Line secrets: a secret opens any conversation and is what the portal's server uses to ask for
    /// tokens (<c>POST /v3/directline/tokens/generate</c>). Several may be listed so one can be rotated out.
    /// Required outside Development; in Development a random one is generated for the run when none is set.
    /// Never logged. Default none.
    /// </summary>
    public List<string> Secrets { get; set; } = [];

    /// <summary>
    /// The HMAC key (base64, at least 32 bytes) that signs our Direct Line tokens. Required outside Development
    /// and whenever several instances serve one bot (each must accept the others' tokens); in Development a
    /// random key is generated at start and tokens then do not survive a restart. Default none.
    /// </summary>
    public string? SigningKey { get; set; }

    /// <summary>How long a token is valid; <c>tokens/refresh</c> issues a new one before it runs out. Default 1800 s (as Azure).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromSeconds(1800);

    /// <summary>How long a conversation's activity log (and so its watermarks) is kept after its last activity. Default 24 h.</summary>
    [Range(typeof(TimeSpan), "00:00:10", "90.00:00:00")]
    public TimeSpan ActivityRetention { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Activities one conversation may post per <see cref="RateLimitWindow"/> before getting 429. Default 20.</summary>
    [Range(1, 100_000)]
    public int MaxPostsPerWindow { get; set; } = 20;

    /// <summary>
    /// Other requests (polling GETs, reconnects, stream opens, refreshes) one conversation may make per
    /// <see cref="RateLimitWindow"/> before getting 429. Default 120 (polling at DirectLineJS's fastest, 200 ms, is 50).
    /// </summary>
    [Range(1, 1_000_000)]
    public int MaxReadsPerWindow { get; set; } = 120;

    /// <summary>The window the two limits above count in. Default 10 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan RateLimitWindow { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often an empty keep-alive frame goes down an idle WebSocket stream. Default 15 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan KeepAliveInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// How long <c>POST …/activities</c> waits for the bot's turn before answering anyway (the activity is stored
    /// and its turn still runs). Default 10 s, below DirectLineJS's 20 s request timeout.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan PostWaitTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The public base URL (scheme://host[:port][/path]) clients reach the bot at, used for <c>streamUrl</c> and
    /// <c>serviceUrl</c>. Default: taken from each request (set it behind a proxy that rewrites the host).
    /// </summary>
    public string? PublicBaseUrl { get; set; }

    /// <summary>
    /// Browser origins (scheme://host[:port]) allowed to call the endpoint from another site, besides the
    /// <c>trustedOrigins</c> carried by a token. Default none (same-origin pages only).
    /// </summary>
    public List<string> AllowedOrigins { get; set; } = [];

    /// <summary>The bot's account as Direct Line clients see it (<c>from</c> of its replies). Default <c>bot</c>.</summary>
    [Required]
    public string BotId { get; set; } = "bot";

    /// <summary>Default <c>Bot</c>.</summary>
    public string BotName { get; set; } = "Bot";

    /// <summary>
    /// The secret the portal's server presents on <c>POST /api/session-bindings</c> in Azure mode (Azure's Direct
    /// Line fronts the bot). Default none: the endpoint then refuses every call.
    /// </summary>
    public string? SessionBindingSecret { get; set; }

    /// <summary>Largest activity accepted on <c>POST …/activities</c>; larger gets 413. Default 256 KB.</summary>
    [Range(1024, 16 * 1024 * 1024)]
    public int MaxActivityBytes { get; set; } = 256 * 1024;

    internal byte[] SigningKeyBytes() => Convert.FromBase64String(SigningKey ?? "");

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Secrets.Count == 0 || Secrets.Exists(secret => string.IsNullOrWhiteSpace(secret) || secret.Length < 16))
        {
            yield return new ValidationResult("DirectLine:Secrets needs at least one secret of 16 or more characters (outside Development none is generated).", [nameof(Secrets)]);
        }
        byte[]? key = null;
        try
        {
            key = SigningKeyBytes();
        }
        catch (FormatException)
        {
        }
        if (key is null || key.Length < 32)
        {
            yield return new ValidationResult("DirectLine:SigningKey must be base64 of at least 32 random bytes (e.g. `openssl rand -base64 32`).", [nameof(SigningKey)]);
        }
        if (PublicBaseUrl is { Length: > 0 } && (!Uri.TryCreate(PublicBaseUrl, UriKind.Absolute, out var baseUrl) || baseUrl.Scheme is not ("http" or "https")))
        {
            yield return new ValidationResult("DirectLine:PublicBaseUrl must be an absolute http(s) URL.", [nameof(PublicBaseUrl)]);
        }
        foreach (var origin in AllowedOrigins)
        {
            if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            {
                yield return new ValidationResult($"DirectLine:AllowedOrigins entry '{origin}' is not an http(s) origin.", [nameof(AllowedOrigins)]);
            }
        }
        if (SessionBindingSecret is { Length: > 0 and < 16 })
        {
            yield return new ValidationResult("DirectLine:SessionBindingSecret must have 16 or more characters.", [nameof(SessionBindingSecret)]);
        }
    }
}

/// <summary>
/// In Development only, fills a missing secret or signing key with random values for this run, and says so
/// (without printing them): a developer can run the bot with no configuration, and the host's own pages get
/// tokens in-process through <see cref="DirectLineTokenService"/>.
/// </summary>
internal sealed partial class DevelopmentDirectLineDefaults(IHostEnvironment environment, ILogger<DevelopmentDirectLineDefaults> logger) : IPostConfigureOptions<DirectLineOptions>
{
    // One value per process, so that every options instance (monitor reloads, named options) agrees.
    private static readonly Lazy<string> GeneratedSecret = new(() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
    private static readonly Lazy<string> GeneratedKey = new(() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
    private static int _saidSecret;
    private static int _saidKey;

    public void PostConfigure(string? name, DirectLineOptions options)
    {
        if (!environment.IsDevelopment())
        {
            return;
        }
        if (options.Secrets.Count == 0)
        {
            options.Secrets.Add(GeneratedSecret.Value);
            if (Interlocked.Exchange(ref _saidSecret, 1) == 0)
            {
                LogGeneratedSecret(logger);
            }
        }
        if (string.IsNullOrEmpty(options.SigningKey))
        {
            options.SigningKey = GeneratedKey.Value;
            if (Interlocked.Exchange(ref _saidKey, 1) == 0)
            {
                LogGeneratedKey(logger);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "DirectLine:Secrets is not configured: a random Direct Line secret was generated for this run (Development only; it is not logged)")]
    private static partial void LogGeneratedSecret(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "DirectLine:SigningKey is not configured: a random key was generated, so Direct Line tokens will not survive a restart and other instances will refuse them (Development only)")]
    private static partial void LogGeneratedKey(ILogger logger);
}
